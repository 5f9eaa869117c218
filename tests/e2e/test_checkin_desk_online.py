"""The check-in desk, in French, with a remote participant (online category): the search says
"registered for online participation", the check-in is refused with that reason and no badge
opens for printing."""

import datetime

import pytest
from django.utils import timezone

from badges.models import CheckIn
from congress.models import CongressRole
from tests.factories.badges import CredentialFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_desk_refuses_a_remote_participant_and_prints_no_badge(live_server, page):
    today = timezone.localdate()
    congress = CongressFactory(starts_on=today, ends_on=today + datetime.timedelta(days=2))
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    CredentialFactory(
        registration__congress=congress,
        registration__category__congress=congress,
        registration__category__name="À distance",
        registration__category__is_online=True,
        registration__person__name="Rana Haddad",
        registration__person__latin_name="Rana Haddad",
        registration__person__organisation=None,
    )
    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    popups = []
    page.on("popup", lambda popup: popups.append(popup.url))

    page.goto(f"{live_server.url}/fr/checkin/{congress.slug}/desk/")
    page.fill("#search-input", "Rana")
    page.click("#search-button")
    meta = page.locator(".search-result .search-meta").inner_text()
    page.click(".search-result .search-checkin")
    page.wait_for_selector("#result[data-result='not_allowed']")

    assert meta == "À distance · Inscrit pour une participation en ligne"
    assert page.locator("#result-detail").inner_text() == (
        "À distance · Inscrit pour une participation en ligne : un organisateur doit le "
        "passer dans une catégorie sur place avant l\u2019enregistrement"
    )
    assert (popups, CheckIn.objects.count()) == ([], 0)
