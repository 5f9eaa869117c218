import pytest

from badges.models import CheckIn
from congress.models import CongressRole
from tests.factories.badges import CredentialFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_checkin_page_manual_search_checks_person_in(live_server, page):
    congress = CongressFactory()
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    CredentialFactory(
        registration__congress=congress,
        registration__person__name="Amal Haddad",
        registration__person__latin_name="Amal Haddad",
    )
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/en/checkin/{congress.slug}/")
    page.fill("#search-input", "Amal")
    page.click("#search-button")
    page.click(".search-result .search-checkin")

    page.wait_for_selector("#result[data-result='ok']")
    assert page.locator("#result-name").inner_text() == "Amal Haddad"
    assert page.locator("#inside-count").inner_text() == "1"
    assert CheckIn.objects.count() == 1
