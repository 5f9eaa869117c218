"""One way to compose and send e-mail: rendered in the recipient's language.

Every e-mail to a person goes through `send_templated_email` (subject and body from
`templates/<app>/email/<name>_subject.txt` and `<name>.txt`) or, for text an organiser wrote
(call-for-participation decision templates), `send_email` with text rendered by the caller
inside `in_language(...)`. Both send from DEFAULT_FROM_EMAIL; a message without a recipient is
not sent. Dates in a message show in the congress's time zone when one is given.

A mail server that is down or refuses the message never fails the user's action: sending
returns False and logs the error's kind (never the address or the text).
"""

import contextlib
import logging
import smtplib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import tzinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from common.health import record_mail_outcome

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


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


def send_email(*, to: str, subject: str, body: str, attachments: Iterable[Attachment] = ()) -> bool:
    """Send one plain-text message to one recipient. False when nothing was sent: no
    address, or the mail server failed (logged, without the address or the text)."""
    if not to:
        return False
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("e-mail not sent: %s", type(error).__name__)
        record_mail_outcome(error=error)
        return False
    record_mail_outcome(error=None)
    return True


def send_templated_email(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    time_zone: tzinfo | None = None,
    attachments: Iterable[Attachment] = (),
) -> bool:
    """Render `template` in the recipient's `language` (and `time_zone`) and send it."""
    if not to:
        return False
    subject, body = render_email(
        template=template, context=context, language=language, time_zone=time_zone
    )
    return send_email(to=to, subject=subject, body=body, attachments=attachments)
