"""Pages and API lists are compressed and answer 304 to a repeat visit (issue 17)."""

import gzip

import pytest

from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(congress):
    for index in range(30):
        SessionFactory(congress=congress, title=f"Workshop on strategic litigation {index}")
    return congress


@pytest.mark.parametrize(
    "path", ["/en/congresses/{slug}/programme/", "/api/v1/congresses/{slug}/sessions/"]
)
def test_public_page_is_gzipped_and_a_repeat_visit_is_304(client, programme, path):
    url = path.format(slug=programme.slug)

    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    repeat = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])

    body = gzip.decompress(first.content).decode()
    assert (first.status_code, first["Content-Encoding"]) == (200, "gzip")
    assert body.count("Workshop on strategic litigation") >= 30
    assert len(first.content) < len(body) / 4
    assert (repeat.status_code, repeat.content) == (304, b"")


def test_changed_programme_gets_a_new_etag(client, programme):
    url = f"/en/congresses/{programme.slug}/programme/"
    before = client.get(url)["ETag"]
    SessionFactory(congress=programme, title="Added late")

    after = client.get(url, HTTP_IF_NONE_MATCH=before)

    assert after.status_code == 200
    assert "Added late" in after.content.decode()
