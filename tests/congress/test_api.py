import pytest

from congress.models import Congress
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_congress_list_shows_only_published(api_client):
    published = CongressFactory(name="Open Congress")
    CongressFactory(status=Congress.Status.DRAFT)
    CongressFactory(status=Congress.Status.ARCHIVED)

    response = api_client.get("/api/v1/congresses/")

    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == [published.slug]


@pytest.mark.parametrize("count", [1, 6])
def test_congress_list_query_count_is_flat(api_client, django_assert_num_queries, count):
    CongressFactory.create_batch(count)

    with django_assert_num_queries(2):  # the page count and the page
        response = api_client.get("/api/v1/congresses/")

    assert len(response.json()["results"]) == count


def test_congress_detail_lists_tracks_in_order(api_client, congress):
    TrackFactory(congress=congress, name="Second", position=2)
    TrackFactory(congress=congress, name="First", position=1)

    response = api_client.get(f"/api/v1/congresses/{congress.slug}/")

    assert response.status_code == 200
    assert [track["name"] for track in response.json()["tracks"]] == ["First", "Second"]


@pytest.mark.parametrize("track_count", [1, 5])
def test_congress_detail_query_count_is_flat(
    api_client, congress, django_assert_num_queries, track_count
):
    TrackFactory.create_batch(track_count, congress=congress)

    with django_assert_num_queries(2):  # the congress, its tracks
        response = api_client.get(f"/api/v1/congresses/{congress.slug}/")

    assert len(response.json()["tracks"]) == track_count


def test_congress_detail_of_draft_is_not_found(api_client):
    draft = CongressFactory(status=Congress.Status.DRAFT)

    response = api_client.get(f"/api/v1/congresses/{draft.slug}/")

    assert response.status_code == 404


def test_congress_detail_in_arabic_uses_translated_name(api_client):
    congress = CongressFactory(name="World Congress", name_translations={"ar": "المؤتمر العالمي"})

    response = api_client.get(f"/api/v1/congresses/{congress.slug}/", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.json()["name"] == "المؤتمر العالمي"


def test_api_schema_documents_congress_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/congresses/" in paths
    assert "/api/v1/congresses/{slug}/" in paths


def test_congress_detail_of_own_draft_is_visible_with_staff_token(token_client):
    draft = CongressFactory(status=Congress.Status.DRAFT, name="Draft Congress")
    organiser = CongressRoleFactory(congress=draft).user

    response = token_client(organiser).get(f"/api/v1/congresses/{draft.slug}/")

    assert response.status_code == 200
    assert response.json()["name"] == "Draft Congress"


def test_congress_detail_of_other_congress_draft_is_not_found_with_staff_token(
    token_client, organiser
):
    draft = CongressFactory(status=Congress.Status.DRAFT)

    response = token_client(organiser).get(f"/api/v1/congresses/{draft.slug}/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_api_rejects_a_bad_token(api_client, congress):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = api_client.get(f"/api/v1/congresses/{congress.slug}/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
