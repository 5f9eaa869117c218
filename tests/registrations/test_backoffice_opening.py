"""The "open registration" switch."""

import datetime

import pytest
import time_machine

from congress.models import AuditEvent, Congress
from registrations.models import RegistrationCategory
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOW = datetime.datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def draft(organiser, congress):
    congress.status = Congress.Status.DRAFT
    congress.save(update_fields=["status"])
    return congress


def opening_url(congress) -> str:
    return f"/en/congresses/{congress.slug}/manage/opening/"


@time_machine.travel(NOW, tick=False)
def test_opening_publishes_and_opens_the_categories_not_yet_open(client, draft, organiser):
    later = RegistrationCategoryFactory(
        congress=draft, name="Delegates", opens_at=datetime.datetime(2027, 3, 1, tzinfo=UTC)
    )
    ended = RegistrationCategoryFactory(
        congress=draft, name="Early", closes_at=datetime.datetime(2027, 1, 1, tzinfo=UTC)
    )
    client.force_login(organiser)

    client.post(opening_url(draft), {"registration": "open"})
    page = client.get(opening_url(draft))

    later.refresh_from_db()
    ended.refresh_from_db()
    assert Congress.objects.get(pk=draft.pk).status == Congress.Status.PUBLISHED
    assert later.opens_at == NOW
    assert ended.closes_at == datetime.datetime(2027, 1, 1, tzinfo=UTC)
    assert page.context["state"].is_open is True
    assert [(s.category.name, s.is_open) for s in page.context["state"].categories] == [
        ("Delegates", True),
        ("Early", False),
    ]
    assert AuditEvent.objects.get(action="registration.opened").detail == {"categories_opened": 1}


@time_machine.travel(NOW, tick=False)
def test_closing_ends_every_open_category_now(client, congress, organiser):
    category = RegistrationCategoryFactory(congress=congress)
    client.force_login(organiser)

    client.post(opening_url(congress), {"registration": "closed"})

    assert RegistrationCategory.objects.get(pk=category.pk).closes_at == NOW
    assert Congress.objects.get(pk=congress.pk).status == Congress.Status.PUBLISHED


@time_machine.travel(NOW, tick=False)
def test_category_dates_are_shown_in_the_congress_time_zone(client, organiser):
    congress = CongressFactory(timezone="Asia/Kuala_Lumpur")
    organiser.congress_roles.create(congress=congress, role="organiser")
    RegistrationCategoryFactory(
        congress=congress, opens_at=datetime.datetime(2027, 3, 1, 1, 0, tzinfo=UTC)
    )
    client.force_login(organiser)

    body = client.get(opening_url(congress)).content.decode()

    assert "March 1, 2027, 9 a.m." in body


def test_opening_page_of_another_congress_is_not_found(client, organiser, other_congress):
    client.force_login(organiser)

    response = client.post(opening_url(other_congress), {"registration": "open"})

    assert response.status_code == 404
