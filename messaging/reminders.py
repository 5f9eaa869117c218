"""Reminders organisers switch on (ReminderSettings); each goes once per registration, kind
and session (ReminderSent's unique key), whenever and however often the command runs."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from common.i18n import localized
from common.mail import send_templated_email
from messaging.models import ReminderSent, ReminderSettings
from registrations.models import Registration, VisaLetterRequest
from registrations.self_service import issue_access_token
from sessions.models import Session, SessionSignup

Kind = ReminderSent.Kind


@dataclass(frozen=True)
class Due:
    registration: Registration
    kind: str
    subject_key: str = ""
    session: Session | None = None


def _payment_due(rules: ReminderSettings, now: datetime.datetime):
    horizon = now + datetime.timedelta(days=rules.payment_due_days)
    for registration in Registration.objects.filter(
        congress=rules.congress,
        status=Registration.Status.PENDING_PAYMENT,
        amount_paid_minor__lt=F("amount_due_minor"),
        hold_expires_at__gt=now,
        hold_expires_at__lte=horizon,
    ).select_related("person", "congress"):
        yield Due(registration, Kind.PAYMENT_DUE)


def _visa_documents_missing(rules: ReminderSettings, now: datetime.datetime):
    for visa in VisaLetterRequest.objects.filter(
        registration__congress=rules.congress,
        status=VisaLetterRequest.Status.REQUESTED,
        registration__status__in=[
            Registration.Status.CONFIRMED,
            Registration.Status.PENDING_PAYMENT,
        ],
        purged_at__isnull=True,
    ).select_related("registration__person", "registration__congress"):
        if not visa.passport_data:  # decrypted per request: visa requests are few
            yield Due(visa.registration, Kind.VISA_DOCUMENTS_MISSING)


def _congress_starts(rules: ReminderSettings, now: datetime.datetime):
    congress = rules.congress
    today = timezone.localtime(now, congress.tzinfo).date()
    if not (0 <= (congress.starts_on - today).days <= rules.congress_starts_days):
        return
    for registration in Registration.objects.filter(
        congress=congress, status=Registration.Status.CONFIRMED
    ).select_related("person", "congress"):
        yield Due(registration, Kind.CONGRESS_STARTS)


def _session_tomorrow(rules: ReminderSettings, now: datetime.datetime):
    congress = rules.congress
    tomorrow = timezone.localtime(now, congress.tzinfo).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=congress.tzinfo)
    for signup in SessionSignup.objects.filter(
        session__congress=congress,
        session__status=Session.Status.PUBLISHED,
        session__starts_at__gte=start,
        session__starts_at__lt=start + datetime.timedelta(days=1),
        state=SessionSignup.State.SEATED,
    ).select_related("registration__person", "registration__congress", "session__room"):
        yield Due(
            signup.registration, Kind.SESSION_TOMORROW, str(signup.session_id), signup.session
        )


FINDERS = (
    ("payment_due", _payment_due),
    ("visa_documents_missing", _visa_documents_missing),
    ("congress_starts", _congress_starts),
    ("session_tomorrow", _session_tomorrow),
)


def _context(due: Due, language: str) -> dict:
    registration = due.registration
    congress = registration.congress
    with translation.override(language):
        context = {
            "person": registration.person,
            "registration": registration,
            "congress_name": localized(congress.name, congress.name_translations),
            "starts_on": congress.starts_on,
        }
        if due.kind in (Kind.CONGRESS_STARTS, Kind.PAYMENT_DUE, Kind.VISA_DOCUMENTS_MISSING):
            token = issue_access_token(registration=registration)
            context["link"] = settings.SITE_URL + reverse(
                "registrations:self_service", kwargs={"token": token}
            )
            if due.kind == Kind.CONGRESS_STARTS:
                context["badge_link"] = settings.SITE_URL + reverse(
                    "badges:self_badge", kwargs={"token": token}
                )
        if due.session is not None:
            context["session_title"] = localized(due.session.title, due.session.title_translations)
            context["starts_at"] = timezone.localtime(due.session.starts_at, congress.tzinfo)
            context["room"] = due.session.room.name if due.session.room else ""
    return context


def _send_once(due: Due) -> bool:
    registration = due.registration
    person = registration.person
    if not person.email or person.erased_at is not None:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                registration=registration, kind=due.kind, subject_key=due.subject_key
            )
            language = registration.language or person.preferred_language
            send_templated_email(
                to=person.email,
                template=f"messaging/email/{due.kind}",
                context=_context(due, language),
                language=language,
                time_zone=registration.congress.tzinfo,
            )
    except IntegrityError:
        return False  # sent before (or by a parallel run)
    return True


def send_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due and was not sent yet, for every congress that
    switched it on; returns how many of each kind were queued. Idempotent: a reminder row is
    written with the e-mail in one transaction, and its unique key refuses a second one."""
    now = now or timezone.now()
    counts = dict.fromkeys((name for name, _finder in FINDERS), 0)
    switched_on = ReminderSettings.objects.filter(
        Q(payment_due=True)
        | Q(visa_documents_missing=True)
        | Q(congress_starts=True)
        | Q(session_tomorrow=True)
    ).select_related("congress")
    for rules in switched_on:
        for name, finder in FINDERS:
            if getattr(rules, name):
                counts[name] += sum(_send_once(due) for due in finder(rules, now))
    return counts


def reminder_settings_for(*, congress) -> ReminderSettings:
    return ReminderSettings.objects.get_or_create(congress=congress)[0]
