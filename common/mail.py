"""One way to compose and send e-mail: rendered in the recipient's language, sent by the task
queue with retries.

Every e-mail to a person goes through `send_templated_email` (subject and body from
`templates/<app>/email/<name>_subject.txt` and `<name>.txt`) or, for text an organiser wrote
(call-for-participation decision templates), `send_email` with text rendered by the caller
inside `in_language(...)`. Both send from DEFAULT_FROM_EMAIL; a message without a recipient is
not sent. Dates in a message show in the congress's time zone when one is given.

Neither sends while the caller waits: the message is queued (django-tasks,
`common.tasks.send_email_task`) once the caller's transaction commits, so a mail server that
is down never fails the user's action nor sends mail about a change that was rolled back. The
task sends it; when the server is down or refuses it, the task is queued again with an
exponential backoff (`retry_delay`) up to EMAIL_MAX_ATTEMPTS attempts, then given up and
logged by the error's kind only (never the address or the text).

`deliver_email` sends at once and raises `MailNotSent`: for code that keeps its own state per
message (the outbox of `messaging`). `last_send_error` tells health checks when the mail
backend last failed, and with what kind of error.
"""

import base64
import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo

from anymail.exceptions import AnymailError
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.cache import cache_get, cache_set
from common.health import record_mail_outcome

logger = logging.getLogger(__name__)

# Errors of a mail server or an e-mail service that a later attempt may not meet again.
SEND_ERRORS = (smtplib.SMTPException, OSError, AnymailError)
_LAST_ERROR_KEY = "common.mail.last_error"
_LAST_SUCCESS_KEY = "common.mail.last_success"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class SendError:
    """When the mail backend last failed and the error's class name (no address, no text)."""

    at: datetime.datetime
    kind: str
    last_success_at: datetime.datetime | None


class MailNotSent(Exception):
    """The mail server or e-mail service did not take the message; `kind` names the error."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@contextlib.contextmanager
def in_language(language: str, time_zone: tzinfo | None = None) -> Iterator[None]:
    """Render text for one recipient: their language, and the congress's time zone if given."""
    with translation.override(language or settings.LANGUAGE_CODE):
        if time_zone is None:
            yield
        else:
            with timezone.override(time_zone):
                yield


def render_email(
    *, template: str, context: dict, language: str, time_zone: tzinfo | None = None
) -> tuple[str, str]:
    """(subject, body) of `template` ("registrations/email/registered") in `language`.

    The subject is folded onto one line (a header cannot hold line breaks).
    """
    with in_language(language, time_zone):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, ...): one minute,
    doubling each time, at most EMAIL_RETRY_MAX_DELAY seconds."""
    base = settings.EMAIL_RETRY_BASE_DELAY
    return datetime.timedelta(
        seconds=min(base * 2 ** (attempt - 1), settings.EMAIL_RETRY_MAX_DELAY)
    )


def _record_failure(error: BaseException) -> None:
    """Remember a failed send for `last_send_error` and /healthz (a cache outage is
    tolerated: common.cache degrades)."""
    kind = type(error).__name__
    cache_set(_LAST_ERROR_KEY, {"at": timezone.now(), "kind": kind}, timeout=None)
    record_mail_outcome(error=error)


def last_send_error() -> SendError | None:
    """The mail backend's last failure (time and error kind), or None when none is known.

    Kept in the shared cache, so every app server and worker sees the same answer; `at` is
    aware UTC, `last_success_at` tells whether mail went out since (None when unknown).
    """
    error = cache_get(_LAST_ERROR_KEY)
    if error is None:
        return None
    return SendError(
        at=error["at"], kind=error["kind"], last_success_at=cache_get(_LAST_SUCCESS_KEY)
    )


def message_payload(
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> dict:
    """A message as JSON-safe data for a task argument (attachments in base64)."""
    return {
        "to": to,
        "subject": subject,
        "body": body,
        "attachments": [
            [item.filename, base64.b64encode(item.content).decode("ascii"), item.mimetype]
            for item in attachments
        ],
        "headers": dict(headers or {}),
    }


def deliver_email(
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
    connection=None,
) -> str:
    """Send one plain-text message to one recipient now; returns its message id (the
    e-mail service's id with django-anymail, else our Message-ID header).

    Raises MailNotSent (after recording it for `last_send_error`) when the mail server or
    service refuses or cannot be reached. `connection` reuses an open SMTP connection.
    """
    message_id = make_msgid(domain=settings.EMAIL_MESSAGE_ID_DOMAIN)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, **(headers or {})},
        connection=connection,
    )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    try:
        message.send()
    except SEND_ERRORS as error:
        _record_failure(error)
        raise MailNotSent(type(error).__name__) from error
    cache_set(_LAST_SUCCESS_KEY, timezone.now(), timeout=None)
    record_mail_outcome(error=None)
    status = getattr(message, "anymail_status", None)
    return (status.message_id if status is not None and status.message_id else "") or message_id


def deliver_payload(payload: dict, *, connection=None) -> str:
    """`deliver_email` for a `message_payload`."""
    return deliver_email(
        to=payload["to"],
        subject=payload["subject"],
        body=payload["body"],
        attachments=[
            Attachment(filename, base64.b64decode(content), mimetype)
            for filename, content, mimetype in payload.get("attachments", [])
        ],
        headers=payload.get("headers") or {},
        connection=connection,
    )


def open_connection():
    """An open connection to the mail backend, to send many messages through (close it
    after). Raises MailNotSent (recorded for `last_send_error`) when it cannot be opened."""
    connection = get_connection()
    try:
        connection.open()
    except SEND_ERRORS as error:
        _record_failure(error)
        raise MailNotSent(type(error).__name__) from error
    return connection


def send_email(
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Iterable[Attachment] = (),
    headers: dict[str, str] | None = None,
) -> bool:
    """Queue one plain-text message to one recipient, sent once the current transaction
    commits (at once outside a transaction) by a task that retries with backoff.

    True when queued; False (nothing queued) without an address. Never raises for a mail
    server that is down: the task retries it, and logs a final failure by its kind only.
    """
    if not to:
        return False
    payload = message_payload(
        to=to, subject=subject, body=body, attachments=attachments, headers=headers
    )
    transaction.on_commit(lambda: enqueue_email(payload))
    return True


def enqueue_email(payload: dict, *, attempt: int = 1, run_after=None) -> None:
    """Hand `payload` to the task queue (attempt number `attempt`, not before `run_after`)."""
    from common.tasks import send_email_task

    task = send_email_task
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(payload, attempt)


def send_templated_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    time_zone: tzinfo | None = None,
    attachments: Iterable[Attachment] = (),
) -> bool:
    """Render `template` in the recipient's `language` (and `time_zone`) now, and queue it
    (`send_email`). True when queued; False without an address."""
    if not to:
        return False
    subject, body = render_email(
        template=template, context=context, language=language, time_zone=time_zone
    )
    return send_email(to=to, subject=subject, body=body, attachments=attachments)
