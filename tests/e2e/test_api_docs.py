import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_lists_operations_without_csp_violations(live_server, page):
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(f"{live_server.url}/api/docs/")
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/congresses/{slug}/").first
    operation.wait_for()

    assert operation.inner_text() == "/api/v1/congresses/{slug}/"
    assert page.locator(".info .title").inner_text().startswith("Congress management API")
    assert [text for text in console if "Content Security Policy" in text] == []
