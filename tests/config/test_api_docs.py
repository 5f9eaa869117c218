"""/api/docs/: Swagger UI served from our own static files, under our CSP, offline."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("src", "href")]


def test_api_docs_page_loads_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/docs/")

    collector = _LinkCollector()
    collector.feed(response.content.decode())
    sidecar = "/static/drf_spectacular_sidecar/swagger-ui-dist/"
    assert collector.links == [
        f"{sidecar}favicon-32x32.png",
        f"{sidecar}swagger-ui.css",
        "/static/css/api-docs.css",
        f"{sidecar}swagger-ui-bundle.js",
        f"{sidecar}swagger-ui-standalone-preset.js",
        "/api/docs/?script=",
    ]


def test_api_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/docs/")

    page = response.content.decode()
    assert (page.count("<script"), page.count("<script src="), page.count("<style")) == (3, 3, 0)


def test_api_docs_start_up_script_loads_our_schema_and_no_external_host(client):
    response = client.get("/api/docs/", {"script": ""})

    script = response.content.decode()
    assert response["Content-Type"] == "application/javascript"
    assert re.findall(r'^\s*url: "([^"]*)",$', script, re.MULTILINE) == ["/api/schema/"]
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", script) == []
