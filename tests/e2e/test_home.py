import pytest

from tests.factories.congress import CongressFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("fr", "ltr", "Congrès"), ("ar", "rtl", "المؤتمرات")],
)
def test_home_page_in_language_has_layout_direction(
    live_server, page, language, direction, heading
):
    CongressFactory(
        name="World Congress", name_translations={"ar": "المؤتمر العالمي", "fr": "Congrès mondial"}
    )

    page.goto(f"{live_server.url}/{language}/")

    html = page.locator("html")
    assert html.get_attribute("dir") == direction
    assert html.get_attribute("lang") == language
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    assert heading in page.locator("body").inner_text()


def test_language_switcher_changes_page_to_arabic(live_server, page):
    page.goto(f"{live_server.url}/en/")

    page.get_by_role("link", name="العربيّة").click()

    page.wait_for_url(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".language-switcher [aria-current=page]").inner_text() == "العربيّة"
