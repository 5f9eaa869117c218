import datetime
import re

import pytest
from django.core import mail

from congress.models import AuditEvent
from messaging.models import Mailing, MailingRecipient, ReminderSettings
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory
from tests.factories.messaging import MailingFactory, MailingRecipientFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db
State = MailingRecipient.State


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def _form(**extra) -> dict:
    return {
        "subject_en": "Hello",
        "subject_fr": "Bonjour",
        "subject_ar": "مرحبا",
        "body_en": "Dear {name}, pay {amount_due}.",
        "body_fr": "Cher {name}",
        "body_ar": "عزيزي {name}",
        **extra,
    }


@pytest.mark.parametrize("rows", [1, 5])
def test_mailings_page_lists_history_with_sender_and_flat_queries(
    organiser_client, congress, organiser, rows, django_assert_num_queries
):
    for index in range(rows):
        mailing = MailingFactory(congress=congress, created_by=organiser,
                                 subject_translations={"en": f"News {index}"})  # fmt: skip
        MailingRecipientFactory(mailing=mailing)
    MailingFactory(subject_translations={"en": "Another congress"})

    with django_assert_num_queries(QUERIES_MAILINGS):
        response = organiser_client.get(f"/en/congresses/{congress.slug}/mailings/")

    body = response.content.decode()
    assert re.findall(r'/mailings/\d+/">([^<]+)</a>', body) == [
        f"News {index}" for index in reversed(range(rows))
    ]
    assert body.count(f"<td>{organiser.get_username()}</td>") == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_outbox_page_shows_states_hides_protected_names_with_flat_queries(
    organiser_client, congress, rows, django_assert_num_queries
):
    mailing = MailingFactory(congress=congress)
    for index in range(rows):
        MailingRecipientFactory(mailing=mailing, person__name=f"Person {index}")
    MailingRecipientFactory(mailing=mailing, person__name="Hidden Defender", is_protected=True,
                            state=State.FAILED, error="SMTPRecipientsRefused")  # fmt: skip

    with django_assert_num_queries(QUERIES_OUTBOX):
        response = organiser_client.get(f"/en/congresses/{congress.slug}/mailings/{mailing.pk}/")

    body = response.content.decode()
    assert "Hidden Defender" not in body
    assert re.findall(r'data-state="failed">(\d+)<', body) == ["1"]
    assert re.findall(r'data-state="sent">(\d+)<', body) == [str(rows)]
    assert body.count("<em>Protected participant</em>") == 1
    assert AuditEvent.objects.filter(action="personal_data.list").count() == 1


QUERIES_MAILINGS = 6
QUERIES_OUTBOX = 9


def test_count_partial_counts_the_audience_and_protected_people(organiser_client, congress):
    RegistrationFactory(congress=congress, language="ar", person__name="Amal")
    RegistrationFactory(congress=congress, language="ar", is_protected=True,
                        person__name="Hidden Defender")  # fmt: skip
    RegistrationFactory(congress=congress, language="en")

    response = organiser_client.get(
        f"/en/congresses/{congress.slug}/mailings/count/", {"languages": ["ar"]}
    )

    body = response.content.decode()
    assert re.findall(r'data-count="(\d+)"', body) == ["2"]
    assert "1 of them is a protected participant" in body
    assert re.findall(r'<option value="\d+">([^<]+)</option>', body) == ["Amal"]
    assert AuditEvent.objects.filter(action="personal_data.list").count() == 1


def test_preview_shows_the_message_in_the_recipients_language(organiser_client, congress):
    registration = RegistrationFactory(congress=congress, language="fr", person__name="Léa")

    response = organiser_client.post(
        f"/en/congresses/{congress.slug}/mailings/preview/",
        _form(preview_person=registration.person_id),
    )

    body = response.content.decode()
    assert re.findall(r'data-testid="preview-subject" dir="auto">([^<]+)<', body) == ["Bonjour"]
    assert re.findall(r'data-testid="preview-body" dir="auto">([^\n]+)', body) == ["Cher Léa"]
    assert mail.outbox == []


def test_preview_as_someone_of_another_congress_shows_nothing(organiser_client, congress):
    stranger = RegistrationFactory(person__name="Stranger")

    response = organiser_client.post(
        f"/en/congresses/{congress.slug}/mailings/preview/",
        _form(preview_person=stranger.person_id),
    )

    assert "Stranger" not in response.content.decode()


def test_test_send_goes_to_the_organiser_only(
    organiser_client, congress, organiser, django_capture_on_commit_callbacks
):
    RegistrationFactory(congress=congress)

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"/en/congresses/{congress.slug}/mailings/new/",
                                         _form(test="1"))  # fmt: skip

    assert response.status_code == 200
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([organiser.email], "Hello")
    ]
    assert Mailing.objects.count() == 0


def test_send_from_the_form_mails_each_person_and_shows_the_outbox(
    organiser_client, congress, django_capture_on_commit_callbacks
):
    RegistrationFactory(congress=congress, language="ar", person__email="ar@example.org")
    RegistrationFactory(congress=congress, language="es", person__email="es@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"/en/congresses/{congress.slug}/mailings/new/", _form(send="1")
        )

    mailing = Mailing.objects.get()
    assert response["Location"] == f"/en/congresses/{congress.slug}/mailings/{mailing.pk}/"
    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("ar@example.org", "مرحبا"),
        ("es@example.org", "Hello"),  # no Spanish text: the congress's first language
    ]
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)


def test_scheduled_mailing_waits_for_its_local_time(
    organiser_client, congress, django_capture_on_commit_callbacks
):
    from messaging.services import send_due_mailings

    RegistrationFactory(congress=congress)

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/en/congresses/{congress.slug}/mailings/new/",
                              _form(send="1", send_at="2099-06-01T09:30"))  # fmt: skip
    mailing = Mailing.objects.get()
    waiting = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        started = send_due_mailings(now=mailing.send_at + datetime.timedelta(seconds=1))

    assert mailing.send_at == datetime.datetime(2099, 6, 1, 7, 30, tzinfo=datetime.UTC)
    assert (waiting, started, len(mail.outbox)) == (0, 1, 1)


def test_retry_failed_requeues_and_sends_them(
    organiser_client, congress, django_capture_on_commit_callbacks
):
    mailing = MailingFactory(congress=congress)
    failed = MailingRecipientFactory(mailing=mailing, state=State.FAILED, error="SMTPDataError",
                                     person__email="again@example.org")  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"/en/congresses/{congress.slug}/mailings/{mailing.pk}/retry/")

    failed.refresh_from_db()
    assert (failed.state, [message.to for message in mail.outbox]) == (
        State.SENT,
        [["again@example.org"]],
    )
    assert AuditEvent.objects.filter(action="messaging.mailing_retried").count() == 1


def test_reminders_page_switches_reminders_on(organiser_client, congress):
    response = organiser_client.post(
        f"/en/congresses/{congress.slug}/reminders/",
        {"payment_due": "on", "payment_due_days": "5", "congress_starts_days": "7"},
    )

    settings = ReminderSettings.objects.get(congress=congress)
    assert response.status_code == 302
    assert (settings.payment_due, settings.payment_due_days, settings.congress_starts) == (
        True,
        5,
        False,
    )


@pytest.mark.parametrize("path", ["mailings/", "mailings/new/", "reminders/"])
def test_messaging_pages_are_for_organisers_of_this_congress_only(client, reviewer, path):
    other = CongressFactory()
    client.force_login(reviewer)

    response = client.get(f"/en/congresses/{other.slug}/{path}")

    assert response.status_code == 404


def test_unsubscribe_with_an_unknown_token_says_so(client):
    PersonFactory()

    response = client.post("/en/unsubscribe/not-a-token/")

    assert (response.status_code, "This link is not valid." in response.content.decode()) == (
        404,
        True,
    )
