"""The organiser designs a badge with a live preview before anyone registers (issue 12)."""

import pytest

from badges.models import BadgeTemplate
from congress.models import CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationCategoryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_reorders_fields_sees_preview_and_saves(live_server, page):
    congress = CongressFactory()
    organiser = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    RegistrationCategoryFactory(congress=congress, name="Delegate")
    visited = []
    page.on("request", lambda request: visited.append(request.url))
    page.set_viewport_size({"width": 1024, "height": 1200})  # a tablet on its side
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_username", organiser.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/manage/badges/templates/")
    page.get_by_role("link", name="Add a badge template").first.click()
    page.wait_for_selector("#badge-preview iframe")

    page.select_option("#id_size", "cr80")
    page.wait_for_selector("#badge-preview iframe[src*='size=cr80']")
    country = page.locator("#id_fields > div", has_text="Country")
    country.locator("input").focus()
    for _ in range(3):  # Country is 4th by default: Alt+Up three times makes it first
        page.keyboard.press("Alt+ArrowUp")
    page.wait_for_selector("#badge-preview iframe[src*='fields=country&']")
    preview = page.request.get(
        live_server.url + page.locator("#preview-pdf-link").get_attribute("href")
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(".message.success")

    template = BadgeTemplate.objects.get()
    assert (template.size, template.fields[0]) == ("cr80", "country")
    assert preview.headers["content-type"] == "application/pdf"
    assert [url for url in visited if "/admin/" in url] == []
