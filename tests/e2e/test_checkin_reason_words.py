"""The scanner shows why a badge is refused in words, not codes (issue 12)."""

import datetime

import pytest
from django.utils import timezone

from congress.models import CongressRole
from tests.factories.attendance import SessionCheckpointFactory
from tests.factories.badges import CredentialFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_scanner_in_french_names_the_refusal(live_server, page):
    # The congress runs today, so the scan is a real one, not a rehearsal.
    today = timezone.localdate()
    congress = CongressFactory(starts_on=today, ends_on=today + datetime.timedelta(days=2))
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    door = SessionCheckpointFactory(
        congress=congress, name="Atelier", session__requires_signup=True
    )
    CredentialFactory(
        registration__congress=congress,
        registration__status="confirmed",
        registration__person__name="Amal Haddad",
        registration__person__latin_name="Amal Haddad",
    )
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/fr/checkin/{congress.slug}/")
    page.select_option("#checkpoint-select", str(door.pk))
    page.fill("#search-input", "Amal")
    page.click("#search-button")
    page.click(".search-result .search-checkin")

    page.wait_for_selector("#result[data-result='not_allowed']")
    assert page.locator("#result-detail").inner_text().split(" · ")[-1] == (
        "Non inscrit·e à cette session"
    )
