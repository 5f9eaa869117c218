"""Issue 14's "done when": mail survives an outage; a mailing to "unpaid, Arabic" reaches
exactly those people, in Arabic, once each even when the worker dies mid-send; an
unsubscribed person still gets their confirmation but not the next mailing."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from common.formatting import format_money
from messaging import services
from messaging.audience import Audience
from messaging.models import MailingRecipient
from registrations.models import Registration
from registrations.services.notifications import send_registration_email
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory
from tests.factories.registrations import RegistrationFactory as _RegistrationFactory

ARABIC_SUBJECT = "تذكير بالدفع"
ARABIC_BODY = "عزيزي {name}، المبلغ المستحق: {amount_due} (المرجع {reference})"


class WorkerKilled(BaseException):
    """The worker process dies (SIGKILL) in the middle of an SMTP conversation."""


class DyingSMTPBackend(SMTPBackend):
    def send_messages(self, email_messages):
        raise WorkerKilled


def _registration(congress, *, language="ar", due=20000, paid=0, **kwargs):
    return _RegistrationFactory(
        congress=congress,
        language=language,
        amount_due_minor=due,
        amount_paid_minor=paid,
        payment_reference=f"REG-{PersonFactory._meta.model.objects.count() + 1:04d}",
        status=kwargs.pop("status", Registration.Status.PENDING_PAYMENT),
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_registration_while_smtp_is_down_answers_201_and_the_email_arrives_once_it_is_back(
    smtp_server, task_worker
):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, code="participant", capacity=5)
    FeeRuleFactory(category=category, amount_minor=20000)
    smtp_server.down()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        response = APIClient().post(
            f"/api/v1/congresses/{congress.slug}/registrations/",
            {"category": "participant", "email": "chidi@example.org", "name": "Chidi Okonkwo"},
            format="json",
        )
        task_worker.run()
    received_while_down = list(smtp_server.messages)
    smtp_server.up()
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        task_worker.run()

    assert (response.status_code, response.json()["status"]) == (201, "pending_payment")
    assert received_while_down == []
    assert [message.to for message in smtp_server.messages] == [["chidi@example.org"]]
    assert smtp_server.messages[0].body.splitlines()[0] == "Dear Chidi Okonkwo,"


@pytest.mark.django_db(transaction=True)
def test_registration_page_says_the_email_is_on_its_way_while_smtp_is_down(
    smtp_server, task_worker
):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, code="participant", capacity=5)
    smtp_server.down()

    response = Client().post(
        f"/en/congresses/{congress.slug}/register/",
        {
            "category": category.pk,
            "email": "amal@example.org",
            "name": "Amal",
            "country": "MA",
            "language": "en",
            "list_visibility": "nowhere",
            "payment_method": "transfer",
            "consent": "on",
        },
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Thank you: your registration has been recorded. An e-mail with your private link "
        "is on its way."
    ]
    assert (response.status_code, smtp_server.messages) == (200, [])
    assert Registration.objects.get().person.email == "amal@example.org"


@pytest.mark.django_db(transaction=True)
def test_mailing_to_unpaid_arabic_reaches_exactly_them_in_arabic_once_each_despite_a_killed_worker(
    smtp_server, task_worker, settings
):
    congress = CongressFactory(working_languages=["en", "fr", "ar"])
    wanted = [
        _registration(congress, person__email="a1@example.org", person__name="أمل"),
        _registration(congress, person__email="a2@example.org", paid=5000),
        _registration(congress, person__email="a3@example.org", is_protected=True),
        _registration(
            congress, person__email="a4@example.org", status=Registration.Status.CONFIRMED
        ),
    ]
    _registration(congress, person__email="paid-ar@example.org", paid=20000)
    _registration(congress, person__email="unpaid-en@example.org", language="en")
    _registration(congress, person__email="unpaid-fr@example.org", language="fr")
    _registration(congress, person__email="free-ar@example.org", due=0)
    _registration(
        congress, person__email="gone-ar@example.org", status=Registration.Status.CANCELLED
    )
    _registration(CongressFactory(), person__email="elsewhere-ar@example.org")
    mailing = services.create_mailing(
        congress=congress,
        audience=Audience(payment=["unpaid"], languages=["ar"]),
        subjects={"en": "Payment reminder", "ar": ARABIC_SUBJECT},
        bodies={"en": "Dear {name}, you owe {amount_due}.", "ar": ARABIC_BODY},
        actor=None,
    )

    services.send_mailing_batch(mailing_id=mailing.pk, limit=1)  # part of the batch
    settings.EMAIL_BACKEND = "tests.messaging.test_done_when.DyingSMTPBackend"
    with pytest.raises(WorkerKilled):
        services.send_mailing_batch(mailing_id=mailing.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    task_worker.run()  # the restarted worker runs the queued task

    received = sorted(smtp_server.messages, key=lambda message: message.to)
    assert [message.to for message in received] == [
        [registration.person.email] for registration in wanted
    ]
    assert {message.subject for message in received} == {ARABIC_SUBJECT}
    assert received[0].body.splitlines()[0] == (
        f"عزيزي أمل، المبلغ المستحق: {format_money(20000, 'EUR', 'ar')}"
        f" (المرجع {wanted[0].payment_reference})"
    )
    assert (
        sorted(MailingRecipient.objects.filter(mailing=mailing).values_list("state", flat=True))
        == ["sent"] * 4
    )


@pytest.mark.django_db
def test_unsubscribed_person_gets_the_next_confirmation_but_not_the_next_mailing(
    django_capture_on_commit_callbacks,
):
    congress = CongressFactory()
    registration = _RegistrationFactory(congress=congress, person__email="amal@example.org")
    other = _RegistrationFactory(congress=congress, person__email="bo@example.org")
    audience = Audience()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_mailing(
            congress=congress, audience=audience, subjects={"en": "News 1"},
            bodies={"en": "Hello {name}"}, actor=None,
        )  # fmt: skip
    [first] = [message for message in mail.outbox if message.to == ["amal@example.org"]]
    token = re.search(r"/unsubscribe/([^/]+)/", first.body).group(1)
    page = Client().get(f"/en/unsubscribe/{token}/")
    done = Client().post(f"/en/unsubscribe/{token}/")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_registration_email(registration=registration, token="private-token")
        second = services.create_mailing(
            congress=congress, audience=audience, subjects={"en": "News 2"},
            bodies={"en": "Hello {name}"}, actor=None,
        )  # fmt: skip

    assert (page.status_code, done.status_code) == (200, 200)
    assert done.content.decode().count("you will receive no more mailings") == 1
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["amal@example.org"], f"Your registration for {congress.name}"),
        (["bo@example.org"], "News 2"),
    ]
    assert second.recipient_count == 1
    assert other.person.email == "bo@example.org"
