import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from messaging.models import ReminderSent, ReminderSettings
from messaging.reminders import send_reminders
from registrations.models import Registration, VisaLetterRequest
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSignupFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2027, 6, 10, 8, 0, tzinfo=datetime.UTC)  # congress starts 15 June


def _run(django_capture_on_commit_callbacks, now=NOW) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        return send_reminders(now=now)


@pytest.fixture
def congress():
    return CongressFactory(starts_on=datetime.date(2027, 6, 15), ends_on=datetime.date(2027, 6, 17))


def test_payment_due_reminder_goes_once_to_those_whose_hold_ends_soon(
    congress, django_capture_on_commit_callbacks
):
    ReminderSettings.objects.create(congress=congress, payment_due=True, payment_due_days=3)
    RegistrationFactory(
        congress=congress, status=Registration.Status.PENDING_PAYMENT, amount_due_minor=20000,
        hold_expires_at=NOW + datetime.timedelta(days=2), person__email="due@example.org",
        payment_reference="REG-1",
    )  # fmt: skip
    RegistrationFactory(
        congress=congress, status=Registration.Status.PENDING_PAYMENT, amount_due_minor=20000,
        hold_expires_at=NOW + datetime.timedelta(days=9), person__email="later@example.org",
        payment_reference="REG-2",
    )  # fmt: skip

    first = _run(django_capture_on_commit_callbacks)
    second = _run(django_capture_on_commit_callbacks)

    assert (first["payment_due"], second["payment_due"]) == (1, 0)
    assert [message.to for message in mail.outbox] == [["due@example.org"]]
    assert "(reference REG-1)" in mail.outbox[0].body


def test_congress_starts_reminder_carries_the_badge_link_in_the_persons_language(
    congress, django_capture_on_commit_callbacks
):
    ReminderSettings.objects.create(congress=congress, congress_starts=True, congress_starts_days=7)
    RegistrationFactory(congress=congress, language="fr", person__email="fr@example.org")
    RegistrationFactory(congress=congress, status=Registration.Status.CANCELLED)

    counts = _run(django_capture_on_commit_callbacks)

    assert counts["congress_starts"] == 1
    assert [message.to for message in mail.outbox] == [["fr@example.org"]]
    assert mail.outbox[0].subject == f"{congress.name} commence bientôt"
    assert len(re.findall(r"^http://\S+/fr/me/[\w-]+/badge\.pdf$", mail.outbox[0].body, re.M)) == 1


def test_session_tomorrow_reminder_goes_to_seated_people_once_per_session(
    congress, django_capture_on_commit_callbacks
):
    ReminderSettings.objects.create(congress=congress, session_tomorrow=True)
    tomorrow = SessionFactory(
        congress=congress,
        title="Drug policy",
        starts_at=datetime.datetime(2027, 6, 11, 7, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 6, 11, 9, 0, tzinfo=datetime.UTC),
    )
    later = SessionFactory(congress=congress)
    SessionSignupFactory(session=tomorrow, registration__person__email="seated@example.org")
    SessionSignupFactory(session=tomorrow, state="waitlisted")
    SessionSignupFactory(session=later)

    first = _run(django_capture_on_commit_callbacks)
    second = _run(django_capture_on_commit_callbacks)

    assert (first["session_tomorrow"], second["session_tomorrow"]) == (1, 0)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["seated@example.org"], "Tomorrow: Drug policy")
    ]


def test_visa_documents_missing_reminder(congress, django_capture_on_commit_callbacks):
    ReminderSettings.objects.create(congress=congress, visa_documents_missing=True)
    missing = RegistrationFactory(congress=congress, person__email="missing@example.org")
    VisaLetterRequest.objects.create(registration=missing, reference="V-1")
    complete = RegistrationFactory(congress=congress)
    VisaLetterRequest.objects.create(
        registration=complete, reference="V-2", passport_data={"passport_number": "X1"}
    )

    counts = _run(django_capture_on_commit_callbacks)

    assert counts["visa_documents_missing"] == 1
    assert [message.to for message in mail.outbox] == [["missing@example.org"]]


def test_reminders_switched_off_send_nothing(congress, django_capture_on_commit_callbacks):
    ReminderSettings.objects.create(congress=congress)
    RegistrationFactory(congress=congress)

    counts = _run(django_capture_on_commit_callbacks)

    assert set(counts.values()) == {0}
    assert (mail.outbox, ReminderSent.objects.count()) == ([], 0)


def test_send_reminders_command_prints_what_it_queued(congress, capsys):
    call_command("send_reminders")

    assert capsys.readouterr().out.strip() == (
        '{"congress_starts": 0, "mailings_started": 0, "payment_due": 0, '
        '"session_tomorrow": 0, "visa_documents_missing": 0}'
    )
