"""Browser test: an organiser turns "names in the offline list" off for a door on the doors
page, and the offline list the scanner downloads for that door then carries no names."""

import pytest

from congress.models import CongressRole
from tests.factories.badges import CredentialFactory, RoomCheckpointFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _offline_names(page, live_server, congress, door) -> list:
    response = page.request.get(
        f"{live_server.url}/api/v1/congresses/{congress.slug}/checkins/offline-list/"
        f"?checkpoint={door.pk}"
    )
    return [entry.get("n") for entry in response.json()["entries"]]


def test_organiser_turns_off_names_in_the_offline_list_of_a_door(live_server, page):
    congress = CongressFactory()
    organiser = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    door = RoomCheckpointFactory(
        congress=congress, room__name="Plenary hall", offline_list_shows_names=True
    )
    CredentialFactory(registration__congress=congress, registration__person__name="Amal Haddad")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", organiser.username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/manage/badges/templates/")
    names_before = _offline_names(page, live_server, congress, door)

    page.locator("nav").get_by_role("link", name="Doors and checkpoints", exact=True).click()
    page.get_by_role("link", name="Change Plenary hall").click()
    page.get_by_label("Names in the offline list").uncheck()
    with page.expect_navigation():
        page.click("#checkpoint-settings button[type=submit]")

    row = page.locator(f"#checkpoint-{door.pk} td")
    assert row.all_inner_texts()[:5] == ["Plenary hall", "Room door", "Yes", "Yes", "No"]
    assert (names_before, _offline_names(page, live_server, congress, door)) == (
        ["Amal Haddad"],
        [None],
    )
