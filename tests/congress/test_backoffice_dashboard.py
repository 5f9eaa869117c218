"""The organiser dashboard (`congress:manage`): panels registered by the apps."""

import datetime
import re

import pytest
import time_machine

from badges.models import Checkpoint
from cfp.models import ReviewAssignment
from congress.dashboard import registered_panels
from congress.models import CongressRole
from registrations.models import Registration, VisaLetterRequest
from tests.factories.badges import CheckInFactory, CheckpointFactory
from tests.factories.cfp import CallFactory, ReviewFactory, SubmissionFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import UserFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Role = CongressRole.Role
NOW = datetime.datetime(2027, 6, 16, 8, 0, tzinfo=datetime.UTC)  # 10:00 in Paris, day 2


def manage_url(congress) -> str:
    return f"/en/congresses/{congress.slug}/manage/"


def panel(response, key) -> dict:
    return next(item for item in response.context["panels"] if item["key"] == key)


def test_every_app_registers_its_panel():
    assert [panel.key for panel in registered_panels()] == [
        "registrations",
        "money",
        "visa",
        "checkins",
        "calls",
    ]


@time_machine.travel(NOW, tick=False)
def test_dashboard_shows_each_apps_figures_and_links_to_its_page(client, congress, organiser):
    delegates = RegistrationCategoryFactory(congress=congress, name="Delegates", position=0)
    press = RegistrationCategoryFactory(congress=congress, name="Press", position=1)
    confirmed = RegistrationFactory(
        congress=congress, category=delegates, amount_due_minor=30000, amount_paid_minor=30000
    )
    RegistrationFactory(
        congress=congress,
        category=delegates,
        status=Registration.Status.PENDING_PAYMENT,
        amount_due_minor=15000,
    )
    RegistrationFactory(congress=congress, category=press, status=Registration.Status.WAITLISTED)
    VisaLetterRequest.objects.create(registration=confirmed)
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    CheckInFactory(
        checkpoint=entrance,
        credential__registration=confirmed,
        checked_in_at=NOW,
        day=datetime.date(2027, 6, 16),
    )
    call = CallFactory(
        congress=congress,
        title="Workshops",
        opens_at=NOW - datetime.timedelta(days=1),
        closes_at=NOW + datetime.timedelta(days=1),
    )
    submission = SubmissionFactory(call=call)
    reviewers = [UserFactory(), UserFactory()]
    for reviewer in reviewers:
        ReviewAssignment.objects.create(submission=submission, reviewer=reviewer)
    ReviewFactory(submission=submission, reviewer=reviewers[0], score=4)
    client.force_login(organiser)

    response = client.get(manage_url(congress))

    registrations = panel(response, "registrations")["data"]
    assert [(row["name"], row["counts"], row["total"]) for row in registrations["rows"]] == [
        ("Delegates", [1, 0, 1, 0, 0, 0], 2),
        ("Press", [0, 0, 0, 1, 0, 0], 1),
    ]
    money = panel(response, "money")["data"]
    assert (money["due"], money["received"], money["outstanding"]) == (45000, 30000, 15000)
    assert panel(response, "visa")["data"] == {"pending": 1}
    checkins = panel(response, "checkins")["data"]
    assert (checkins["people"], checkins["session_entries"]) == (1, 0)
    calls = panel(response, "calls")["data"]
    assert [
        (row["title"], row["is_open"], row["submitted"], row["assigned"], row["reviewed"])
        for row in calls["calls"]
    ] == [("Workshops", True, 1, 2, 1)]
    assert [item["url"] for item in response.context["panels"]] == [
        f"/en/congresses/{congress.slug}/registrations/",
        f"/en/congresses/{congress.slug}/bank-transfers/",
        f"/en/congresses/{congress.slug}/visa-letters/",
        f"/en/checkin/{congress.slug}/log/",
        f"/en/congresses/{congress.slug}/cfp/manage/",
    ]
    assert "€450.00" in response.content.decode()


def test_reviewers_see_the_dashboard_without_the_organisers_panels(client, congress, reviewer):
    client.force_login(reviewer)

    response = client.get(manage_url(congress))

    assert response.status_code == 200
    assert response.context["panels"] == []


def test_visa_officers_see_the_visa_panel(client, congress):
    officer = CongressRoleFactory(congress=congress, role=Role.VISA_OFFICER).user
    client.force_login(officer)

    response = client.get(manage_url(congress))

    assert [item["key"] for item in response.context["panels"]] == ["visa"]


def test_dashboard_of_another_congress_is_not_found(client, organiser, other_congress):
    client.force_login(organiser)

    assert client.get(manage_url(other_congress)).status_code == 404


@pytest.mark.parametrize("user_kind", ["organiser", "staff_organiser"])
def test_no_link_to_the_django_admin_for_organisers(client, congress, organiser, user_kind):
    if user_kind == "staff_organiser":
        organiser.is_staff = True
        organiser.save()
    client.force_login(organiser)

    body = client.get(manage_url(congress)).content.decode()

    assert re.findall(r'href="[^"]*/admin/[^"]*"', body) == []


def test_the_header_links_the_admin_for_the_sites_operators_only(client, congress):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)

    body = client.get(manage_url(congress)).content.decode()

    assert re.findall(r'href="([^"]*/admin/[^"]*)"', body) == ["/en/admin/"]


@pytest.mark.parametrize("rows", [1, 5])
def test_dashboard_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, rows
):
    for number in range(rows):
        category = RegistrationCategoryFactory(congress=congress)
        registration = RegistrationFactory(congress=congress, category=category)
        VisaLetterRequest.objects.create(registration=registration, reference=f"V-{number}")
        SubmissionFactory(call=CallFactory(congress=congress))
    client.force_login(organiser)

    with django_assert_num_queries(QUERIES):
        response = client.get(manage_url(congress))

    assert len(panel(response, "registrations")["data"]["rows"]) == rows


# Session, user, congress, roles held (once for every panel), the five panels (registrations
# two, money, visa, check-ins, calls one each), the menu (one role check per registered
# link) and the shell's own lookups.
QUERIES = 27
