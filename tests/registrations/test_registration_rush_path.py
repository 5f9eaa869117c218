"""The registering path of a rush (issue 17): the e-mails leave the request for the task
queue, the answer keeps its shape, and finding a person uses an index."""

import re

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from common.tokens import hash_token
from congress.models import AuditEvent
from registrations.models import Registration
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory


@pytest.fixture
def rush_congress():
    congress = CongressFactory(name="World Congress 2027")
    category = RegistrationCategoryFactory(congress=congress, code="participant")
    FeeRuleFactory(category=category, amount_minor=20000)
    return congress


def _register(congress, email="chidi@example.org"):
    return APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "participant", "email": email, "name": "Chidi Okonkwo", "country": "NG"},
        format="json",
    )


@pytest.mark.django_db(transaction=True)
def test_the_registrant_does_not_wait_for_the_email_the_worker_renders_and_sends_it(
    rush_congress, smtp_server, task_worker
):
    response = _register(rush_congress)

    registration = Registration.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": registration.pk,
        "status": "pending_payment",
        "amount_due_minor": 20000,
        "currency": "EUR",
        "fee_reasons": ["standard"],
        "payment_method": "transfer",
        "payment_reference": registration.payment_reference,
    }
    # Answered before any e-mail was rendered: one task waits, nothing was sent.
    assert (task_worker.pending(), smtp_server.messages) == (1, [])
    assert list(AuditEvent.objects.values_list("action", "target_id")) == [
        ("registration.created", str(registration.pk))
    ]

    task_worker.run()

    [message] = smtp_server.messages
    body = message.message.get_content()
    [token] = re.findall(re.escape(settings.SITE_URL) + r"/en/registration/([^/\s]+)/", body)
    assert (message.to, message.message["Subject"]) == (
        ["chidi@example.org"],
        "Your registration for World Congress 2027",
    )
    assert hash_token(token) == registration.access_token_hash


@pytest.mark.django_db(transaction=True)
def test_a_registration_deleted_before_the_worker_runs_sends_nothing(
    rush_congress, smtp_server, task_worker
):
    _register(rush_congress)
    Registration.objects.all().delete()

    task_worker.run()

    assert (task_worker.pending(), smtp_server.messages) == (0, [])


@pytest.mark.django_db
def test_the_person_is_found_whatever_the_case_and_with_like_characters(rush_congress):
    """`_` and `%` are not wildcards: the address matches as written, any case."""
    PersonFactory(email="a_b%c@Example.org", name="First")
    PersonFactory(email="axbyc@example.org", name="Other")

    response = _register(rush_congress, email="A_B%C@EXAMPLE.ORG")

    registration = Registration.objects.select_related("person").get()
    assert response.status_code == 201
    assert registration.person.name == "First"


@pytest.mark.django_db
@pytest.mark.postgres
def test_finding_a_person_by_address_reads_the_index_not_the_table():
    """Before the index on UPPER(email) every registration read the whole people table
    under its e-mail lock."""
    from registrations.queries import _person_by_email

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + _person_by_email.sql(), ["someone@example.org"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")

    indexes = re.findall(r"Index (?:Only )?Scan (?:using|on) (\w+)", plan)
    assert indexes == ["members_person_email_upper"], plan
