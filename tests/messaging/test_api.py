import base64

import pytest
from django.core import mail

from messaging.models import Mailing, MailingRecipient
from tests.factories.congress import CongressFactory
from tests.factories.messaging import MailingFactory, MailingRecipientFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = MailingRecipient.State


def url(congress, pk=None):
    base = f"/api/v1/congresses/{congress.slug}/mailings/"
    return f"{base}{pk}/" if pk else base


def test_post_mailing_answers_202_with_id_and_recipient_count(
    congress, organiser, token_client, django_capture_on_commit_callbacks
):
    RegistrationFactory(congress=congress, language="ar", amount_due_minor=100,
                        person__email="ar@example.org")  # fmt: skip
    RegistrationFactory(congress=congress, language="en", amount_due_minor=100)

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(organiser).post(
            url(congress),
            {
                "audience": {"payment": ["unpaid"], "languages": ["ar"]},
                "subject": {"en": "Reminder", "ar": "تذكير"},
                "body": {"en": "Dear {name}", "ar": "عزيزي {name}"},
            },
            format="json",
        )

    mailing = Mailing.objects.get()
    assert response.status_code == 202
    assert response.json() == {"id": mailing.pk, "recipient_count": 1, "status": "sending"}
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["ar@example.org"], "تذكير")
    ]
    assert mailing.created_by == organiser


def test_get_mailing_gives_counts_per_state(congress, organiser, token_client):
    mailing = MailingFactory(congress=congress)
    MailingRecipientFactory.create_batch(2, mailing=mailing)
    MailingRecipientFactory(mailing=mailing, state=State.FAILED, error="SMTPRecipientsRefused")
    MailingRecipientFactory(mailing=mailing, state=State.BOUNCED)

    response = token_client(organiser).get(url(congress, mailing.pk))

    assert response.status_code == 200
    assert response.json()["counts"] == {
        "queued": 0, "sending": 0, "sent": 2, "failed": 1, "bounced": 1,
    }  # fmt: skip


def test_post_mailing_with_a_category_of_another_congress_is_refused(
    congress, organiser, token_client
):
    foreign = RegistrationCategoryFactory(congress=CongressFactory())
    RegistrationFactory(congress=congress)

    response = token_client(organiser).post(
        url(congress),
        {"audience": {"categories": [foreign.pk]}, "subject": {"en": "S"}, "body": {"en": "B"}},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_mailing")
    assert Mailing.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"subject": {"fr": "S"}, "body": {"fr": "B"}}, "invalid_mailing"),
        ({"subject": {"en": "S"}, "body": {"en": "Hello {nom}"}}, "unknown_placeholder"),
        ({"subject": {"en": "S"}, "body": {"en": "B"}, "audience": {"statuses": ["rejected"]}},
         "empty_audience"),
    ],
)  # fmt: skip
def test_post_mailing_bad_input_is_a_400_with_its_code(
    congress, organiser, token_client, payload, code
):
    RegistrationFactory(congress=congress)

    response = token_client(organiser).post(
        url(congress), {"audience": {}, **payload}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (400, code)


def test_mailings_api_refuses_reviewers_and_strangers(congress, reviewer, token_client):
    mailing = MailingFactory(congress=congress)

    as_reviewer = token_client(reviewer).get(url(congress, mailing.pk))
    other = CongressFactory()
    foreign = token_client(reviewer).get(url(other, MailingFactory(congress=other).pk))

    assert (as_reviewer.status_code, foreign.status_code) == (403, 403)
    assert "counts" not in foreign.json()


def test_mailings_endpoints_are_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    assert sorted(schema["paths"]["/api/v1/congresses/{slug}/mailings/"]) == ["post"]
    assert sorted(schema["paths"]["/api/v1/congresses/{slug}/mailings/{id}/"]) == ["get"]


def test_postmark_bounce_webhook_marks_the_recipient_bounced(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    recipient = MailingRecipientFactory(message_id="883953f4-6105-42a2-a16a-77a8eac79483")
    other = MailingRecipientFactory(message_id="another-message")
    credentials = base64.b64encode(b"hook:secret").decode()

    response = client.post(
        "/anymail/postmark/tracking/",
        {
            "RecordType": "Bounce",
            "ID": 4323372036854775807,
            "Type": "HardBounce",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Email": "nobody@example.org",
            "BouncedAt": "2027-06-01T10:00:00Z",
            "Description": "The server was unable to deliver your message",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )

    recipient.refresh_from_db()
    other.refresh_from_db()
    assert response.status_code == 200
    assert (recipient.state, recipient.error, other.state) == (State.BOUNCED, "bounced", State.SENT)


def test_postmark_webhook_without_the_secret_changes_nothing(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}
    recipient = MailingRecipientFactory(message_id="m-1")

    response = client.post(
        "/anymail/postmark/tracking/",
        {"RecordType": "Bounce", "Type": "HardBounce", "MessageID": "m-1"},
        content_type="application/json",
    )

    recipient.refresh_from_db()
    assert (response.status_code, recipient.state) == (400, State.SENT)
