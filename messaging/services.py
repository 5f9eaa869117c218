"""Mailings: compose, count, schedule, send once per person, retry, unsubscribe, bounces."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from common.mail import MailNotSent, deliver_email, open_connection, retry_delay, send_email
from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from members.models import Person
from messaging.audience import Audience, ResolvedAudience, resolve_audience
from messaging.exceptions import EmptyAudience, InvalidMailing
from messaging.models import Mailing, MailingRecipient, Unsubscription
from messaging.rendering import (
    RenderedMessage,
    check_placeholders,
    mailing_language,
    render_message,
    uses_link,
)
from registrations.models import Registration
from registrations.self_service import issue_access_token

logger = logging.getLogger(__name__)
# Each message carries only its recipient's own address; these let auto-responders stay quiet.
BULK_HEADERS = {"Precedence": "bulk", "Auto-Submitted": "auto-generated"}

State = MailingRecipient.State
# Errors about one recipient (the server said no to this address or message): that recipient
# fails; any other error means the server is unreachable, and the batch waits and retries.
RECIPIENT_ERRORS = {
    "SMTPRecipientsRefused",
    "SMTPDataError",
    "SMTPSenderRefused",
    "AnymailRecipientsRefused",
    "AnymailInvalidAddress",
}


def count_audience(
    *, congress: Congress, audience: Audience, is_about_registration: bool = False
) -> ResolvedAudience:
    """Who the mailing would reach now (unsubscribed people left out unless it is about
    their registration), with the counts the compose page shows. Read-only."""
    return resolve_audience(
        congress=congress, audience=audience, respect_unsubscribes=not is_about_registration
    )


def _check_texts(*, congress: Congress, subjects: dict, bodies: dict) -> None:
    languages = list(congress.working_languages or [settings.LANGUAGE_CODE])
    first = languages[0]
    if not subjects.get(first) or not bodies.get(first):
        raise InvalidMailing(
            _("Write the subject and the text in %(language)s at least.") % {"language": first}
        )
    foreign = sorted((set(subjects) | set(bodies)) - set(languages))
    if foreign:
        raise InvalidMailing(
            _("This congress does not work in %(languages)s.") % {"languages": ", ".join(foreign)}
        )
    check_placeholders(*subjects.values(), *bodies.values())


def create_mailing(
    *,
    congress: Congress,
    audience: Audience,
    subjects: dict[str, str],
    bodies: dict[str, str],
    actor: AbstractBaseUser | None,
    is_about_registration: bool = False,
    send_at: datetime.datetime | None = None,
) -> Mailing:
    """Record a mailing and send it now, or at `send_at` (aware) when that is in the future.

    Raises InvalidMailing (no text in the congress's first language, a language the congress
    does not work in), UnknownPlaceholder, EmptyAudience. Audited (ids and the count). Sending
    starts after the commit, through the task queue.
    """
    _check_texts(congress=congress, subjects=subjects, bodies=bodies)
    now = timezone.now()
    scheduled = send_at is not None and send_at > now
    resolved = count_audience(
        congress=congress, audience=audience, is_about_registration=is_about_registration
    )
    if not resolved.members:
        raise EmptyAudience
    with transaction.atomic():
        mailing = Mailing.objects.create(
            congress=congress,
            audience=audience.as_dict(),
            subject_translations=subjects,
            body_translations=bodies,
            is_about_registration=is_about_registration,
            send_at=send_at if scheduled else None,
            recipient_count=len(resolved.members),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_audit(
            action="messaging.mailing_created",
            congress=congress,
            actor=actor,
            target=mailing,
            detail={"recipients": len(resolved.members), "scheduled": scheduled},
        )
        if scheduled:
            transaction.on_commit(lambda: _enqueue_start(mailing.pk, send_at))
        else:
            mailing = start_mailing(mailing_id=mailing.pk) or mailing
    return mailing


def _enqueue_start(mailing_id: int, run_after: datetime.datetime) -> None:
    from messaging.tasks import start_mailing_task

    task = start_mailing_task
    if task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(mailing_id)
    # Otherwise (the immediate backend) `send_due_mailings` starts it when it is due.


def enqueue_sending(mailing_id: int, *, run_after: datetime.datetime | None = None) -> None:
    from messaging.tasks import send_mailing_task

    task = send_mailing_task
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(mailing_id)


def start_mailing(*, mailing_id: int) -> Mailing | None:
    """Write the outbox (one queued row per person of the audience, as it is now) and queue
    the sending after the commit. Locks the mailing; a mailing already started is left as it
    is (None), so a repeated task or command changes nothing."""
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update()
            .select_related("congress")
            .filter(pk=mailing_id, status=Mailing.Status.SCHEDULED)
            .first()
        )
        if mailing is None:
            return None
        resolved = count_audience(
            congress=mailing.congress,
            audience=Audience.from_dict(mailing.audience),
            is_about_registration=mailing.is_about_registration,
        )
        texts = mailing.body_translations
        MailingRecipient.objects.bulk_create(
            [
                MailingRecipient(
                    mailing=mailing,
                    person_id=member.person_id,
                    registration_id=member.registration_id,
                    language=mailing_language(
                        wanted=member.language, texts=texts, congress=mailing.congress
                    ),
                    is_protected=member.is_protected,
                )
                for member in resolved.members
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        mailing.status = Mailing.Status.SENDING
        mailing.started_at = timezone.now()
        mailing.recipient_count = len(resolved.members)
        mailing.save(update_fields=["status", "started_at", "recipient_count"])
        transaction.on_commit(lambda: enqueue_sending(mailing_id))
    return mailing


def send_due_mailings(*, now: datetime.datetime | None = None) -> int:
    """Start every scheduled mailing whose time has come (for backends that cannot run a
    task later, and as a safety net). Returns how many started; running it twice is harmless."""
    now = now or timezone.now()
    due = Mailing.objects.filter(status=Mailing.Status.SCHEDULED, send_at__lte=now)
    return sum(
        1 for mailing_id in due.values_list("pk", flat=True) if start_mailing(mailing_id=mailing_id)
    )


def message_for(*, recipient: MailingRecipient, mailing: Mailing) -> RenderedMessage:
    """The message `recipient` gets. Issues a new private link when the text uses {link}
    (the registration's earlier link stops working) and an unsubscribe token when the
    mailing is not about the registration (stores only their hashes on the rows)."""
    access_token = ""
    if recipient.registration is not None and uses_link(mailing.body_translations):
        access_token = issue_access_token(registration=recipient.registration)
    unsubscribe_token = ""
    if not mailing.is_about_registration:
        unsubscribe_token = make_token()
        recipient.unsubscribe_token_hash = hash_token(unsubscribe_token)
    return render_message(
        subjects=mailing.subject_translations,
        bodies=mailing.body_translations,
        language=recipient.language,
        person=recipient.person,
        registration=recipient.registration,
        access_token=access_token,
        unsubscribe_token=unsubscribe_token,
    )


@dataclass(frozen=True)
class BatchOutcome:
    sent: int
    failed: int
    server_down: bool


def send_mailing_batch(*, mailing_id: int, limit: int | None = None) -> BatchOutcome:
    """Send queued messages of a mailing, one recipient at a time, until none is left (or
    `limit` were tried), through one connection to the mail server.

    Each recipient is claimed with its row locked (`SKIP LOCKED`: several workers share a
    mailing), marked sending, sent, and marked sent in one transaction. A worker killed
    before the commit leaves the row queued, so the next run sends it; only a kill between
    the server's acceptance and the commit (a few milliseconds) can send one message twice.
    A refused address fails that recipient (with the reason); a server that cannot be
    reached stops the batch and leaves the row queued (`server_down`).
    """
    mailing = Mailing.objects.select_related("congress").get(pk=mailing_id)
    sent = failed = 0
    try:
        connection = open_connection()
    except MailNotSent:
        return BatchOutcome(sent=0, failed=0, server_down=True)
    try:
        while limit is None or sent + failed < limit:
            with transaction.atomic():
                recipient = (
                    MailingRecipient.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("person", "registration")
                    .filter(mailing_id=mailing_id, state=State.QUEUED)
                    .order_by("pk")
                    .first()
                )
                if recipient is None:
                    break
                recipient.state = State.SENDING
                recipient.attempts += 1
                recipient.save(update_fields=["state", "attempts", "updated_at"])
                message = message_for(recipient=recipient, mailing=mailing)
                try:
                    recipient.message_id = deliver_email(
                        to=recipient.person.email,
                        subject=message.subject,
                        body=message.body,
                        connection=connection,
                        headers=BULK_HEADERS,
                    )
                except MailNotSent as error:
                    if error.kind not in RECIPIENT_ERRORS:
                        transaction.set_rollback(True)
                        return BatchOutcome(sent=sent, failed=failed, server_down=True)
                    recipient.state, recipient.error = State.FAILED, error.kind
                    failed += 1
                else:
                    recipient.state, recipient.error = State.SENT, ""
                    recipient.sent_at = timezone.now()
                    sent += 1
                recipient.save(
                    update_fields=[
                        "state",
                        "error",
                        "message_id",
                        "sent_at",
                        "unsubscribe_token_hash",
                        "updated_at",
                    ]
                )
    finally:
        connection.close()
    _finish_if_done(mailing)
    return BatchOutcome(sent=sent, failed=failed, server_down=False)


def _finish_if_done(mailing: Mailing) -> None:
    busy = MailingRecipient.objects.filter(
        mailing=mailing, state__in=[State.QUEUED, State.SENDING]
    ).exists()
    if not busy:
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT
        )


def run_mailing(*, mailing_id: int, attempt: int = 1) -> BatchOutcome:
    """The task's work: send the batch; when the server is down, queue the rest again
    after `retry_delay(attempt)`, up to EMAIL_MAX_ATTEMPTS, then fail what is left."""
    outcome = send_mailing_batch(mailing_id=mailing_id)
    if outcome.server_down:
        if attempt < settings.EMAIL_MAX_ATTEMPTS:
            logger.warning(
                "mailing %s paused: mail server unavailable (attempt %d)", mailing_id, attempt
            )
            from messaging.tasks import send_mailing_task

            task = send_mailing_task
            if task.get_backend().supports_defer:
                task.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                    mailing_id, attempt + 1
                )
        else:
            MailingRecipient.objects.filter(mailing_id=mailing_id, state=State.QUEUED).update(
                state=State.FAILED, error="server_unavailable", updated_at=timezone.now()
            )
            _finish_if_done(Mailing.objects.get(pk=mailing_id))
    return outcome


def retry_failed(*, mailing: Mailing, actor: AbstractBaseUser | None) -> int:
    """Queue the failed recipients of `mailing` again and send them; returns how many.
    Audited. Bounced addresses are not retried (the provider said they do not exist)."""
    with transaction.atomic():
        count = MailingRecipient.objects.filter(mailing=mailing, state=State.FAILED).update(
            state=State.QUEUED, error="", updated_at=timezone.now()
        )
        if count:
            Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)
            record_audit(
                action="messaging.mailing_retried",
                congress=mailing.congress,
                actor=actor,
                target=mailing,
                detail={"recipients": count},
            )
            transaction.on_commit(lambda: enqueue_sending(mailing.pk))
    return count


def counts_by_state(*, mailing: Mailing) -> dict[str, int]:
    """How many recipients are in each state (every state named, zeros included)."""
    counts = dict.fromkeys(State.values, 0)
    counts.update(
        MailingRecipient.objects.filter(mailing=mailing)
        .values_list("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )
    return counts


def preview_message(
    *,
    congress: Congress,
    subjects: dict[str, str],
    bodies: dict[str, str],
    person: Person,
    is_about_registration: bool = False,
) -> RenderedMessage:
    """What `person` would receive, without sending or issuing anything: the private link
    and the unsubscribe link show as examples. Raises UnknownPlaceholder."""
    check_placeholders(*subjects.values(), *bodies.values())
    registration = (
        Registration.objects.filter(congress=congress, person=person).order_by("-pk").first()
    )
    wanted = registration.language if registration else person.preferred_language
    return render_message(
        subjects=subjects,
        bodies=bodies,
        language=mailing_language(wanted=wanted, texts=bodies, congress=congress),
        person=person,
        registration=registration,
        access_token="PREVIEW" if registration is not None else "",
        unsubscribe_token="" if is_about_registration else "PREVIEW",
    )


def send_test_message(
    *, congress: Congress, subjects: dict, bodies: dict, user: AbstractBaseUser, language: str
) -> bool:
    """Mail the organiser (`user`) the mailing as a participant would see it, in `language`
    when written in it; placeholders show the organiser's name. Queued like every e-mail."""
    check_placeholders(*subjects.values(), *bodies.values())
    person = Person(name=user.get_full_name() or user.get_username(), email=user.email)
    message = render_message(
        subjects=subjects,
        bodies=bodies,
        language=mailing_language(wanted=language, texts=bodies, congress=congress),
        person=person,
        registration=None,
    )
    return send_email(to=user.email, subject=message.subject, body=message.body)


def unsubscribe(*, token: str) -> Unsubscription | None:
    """Stop mailings of the congress for the person this unsubscribe token was sent to.
    None for an unknown token. Repeating it is harmless (the same row comes back)."""
    if not token or len(token) > 128:
        return None
    recipient = (
        MailingRecipient.objects.select_related("mailing")
        .filter(unsubscribe_token_hash=hash_token(token))
        .first()
    )
    if recipient is None:
        return None
    try:
        with transaction.atomic():
            return Unsubscription.objects.create(
                person_id=recipient.person_id, congress_id=recipient.mailing.congress_id
            )
    except IntegrityError:
        return Unsubscription.objects.get(
            person_id=recipient.person_id, congress_id=recipient.mailing.congress_id
        )


# Provider events (django-anymail's tracking webhook) that mean the message did not arrive.
BOUNCE_EVENTS = {"bounced", "rejected", "failed", "complained"}


def record_delivery_event(*, message_id: str, event_type: str, reason: str = "") -> int:
    """A provider told us what happened to a message: a bounce, rejection or complaint marks
    its recipient bounced (with the provider's short reason); other events change nothing.
    Returns how many outbox rows changed. Replays are harmless."""
    if not message_id or event_type not in BOUNCE_EVENTS:
        return 0
    return (
        MailingRecipient.objects.filter(message_id=message_id)
        .exclude(state=State.BOUNCED)
        .update(state=State.BOUNCED, error=(reason or event_type)[:100], updated_at=timezone.now())
    )
