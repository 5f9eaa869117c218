"""A session far from the congress's dates is refused; one already saved does not take the
programme down (issue 17)."""

import datetime

import pytest

from sessions.models import Session
from sessions.services import check_timetable
from tests.factories.sessions import SessionFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db
FAR = "9999-12-31T23:00:00+00:00"


def _url(congress, suffix=""):
    return f"/api/v1/congresses/{congress.slug}/sessions/{suffix}"


def test_session_moved_to_9999_is_400_naming_the_field_and_unchanged(
    token_client, congress, organiser
):
    session = SessionFactory(congress=congress, starts_at=at(15, 9), ends_at=at(15, 10))

    response = token_client(organiser).patch(
        _url(congress, f"{session.pk}/"), {"ends_at": FAR}, format="json"
    )

    session.refresh_from_db()
    assert (response.status_code, response.json()) == (
        400,
        {
            "ends_at": [
                "A session must take place within 31 days of the congress's dates "
                "(2027-06-15 to 2027-06-17)."
            ]
        },
    )
    assert session.ends_at == at(15, 10)


def test_session_created_far_before_the_congress_is_400_in_french(
    token_client, congress, organiser
):
    response = token_client(organiser).post(
        _url(congress),
        {
            "kind": "workshop",
            "status": "published",
            "title": "Typo",
            "starts_at": "2017-06-15T11:00:00+02:00",
            "ends_at": "2017-06-15T12:00:00+02:00",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert response.json()["starts_at"] == [
        "Une session doit avoir lieu dans les 31 jours autour des dates du congrès "
        "(2027-06-15 au 2027-06-17)."
    ]
    assert Session.objects.count() == 0


def test_session_a_week_after_the_congress_is_saved_with_a_warning(
    token_client, congress, organiser
):
    response = token_client(organiser).post(
        _url(congress),
        {
            "kind": "workshop",
            "status": "published",
            "title": "Follow-up",
            "starts_at": "2027-06-24T11:00:00+02:00",
            "ends_at": "2027-06-24T12:00:00+02:00",
        },
        format="json",
    )

    assert response.status_code == 201
    assert [warning["code"] for warning in response.json()["warnings"]] == [
        "outside_congress_dates"
    ]


def _far_session(congress):
    """A row saved before the dates were checked (a bulk import, an old version)."""
    far = datetime.datetime(9999, 12, 31, 22, 0, tzinfo=datetime.UTC)
    SessionFactory(
        congress=congress,
        title="Broken",
        starts_at=far,
        ends_at=far + datetime.timedelta(hours=1),
    )
    SessionFactory(congress=congress, title="Opening", starts_at=at(15, 9), ends_at=at(15, 10))


def test_programme_api_with_a_9999_row_still_lists_the_others(api_client, congress):
    _far_session(congress)

    response = api_client.get(_url(congress))

    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Opening"]


def test_programme_page_with_a_9999_row_still_renders(client, congress):
    _far_session(congress)

    response = client.get(f"/en/congresses/{congress.slug}/programme/")

    assert response.status_code == 200
    assert response.content.decode().count("Opening") >= 1
    assert "Broken" not in response.content.decode()


def test_timetable_check_with_a_9999_row_still_runs(congress):
    _far_session(congress)

    warnings = check_timetable(congress=congress)

    assert warnings == []
