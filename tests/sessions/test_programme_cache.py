"""The public programme's cached session list (sessions.programme_cache): an edit shows on
the next request, a repeat visit is a 304 (ETag or Last-Modified), the cached list costs no
sessions query."""

import re

import pytest

from tests.factories.sessions import SessionFactory, SessionSpeakerFactory

pytestmark = pytest.mark.django_db


def _url(congress):
    return f"/en/congresses/{congress.slug}/programme/"


def _titles(response) -> list[str]:
    return re.findall(
        r'<a href="[^"]*/programme/sessions/\d+/">([^<]+)</a>', response.content.decode()
    )


def test_renamed_session_shows_at_once_after_a_cached_view(client, congress):
    session = SessionFactory(congress=congress, title="Opening plenary")
    before = client.get(_url(congress))

    session.title = "Opening plenary (moved)"
    session.save()
    after = client.get(_url(congress))

    assert (_titles(before), _titles(after)) == (
        ["Opening plenary"],
        ["Opening plenary (moved)"],
    )


def test_deleted_session_is_gone_at_once_after_a_cached_view(client, congress):
    kept = SessionFactory(congress=congress, title="Kept")
    gone = SessionFactory(congress=congress, title="Gone")
    client.get(_url(congress))

    gone.delete()
    response = client.get(_url(congress))

    assert _titles(response) == [kept.title]


def test_renamed_speaker_shows_at_once_after_a_cached_view(client, congress):
    speaker = SessionSpeakerFactory(session=SessionFactory(congress=congress))
    client.get(_url(congress))

    speaker.person.name = "Amal Haddad-Renamed"
    speaker.person.save()
    response = client.get(_url(congress))

    assert response.content.decode().count("Amal Haddad-Renamed") == 1


def test_repeat_visit_with_the_etag_is_answered_304(client, congress):
    SessionFactory(congress=congress)
    first = client.get(_url(congress))

    again = client.get(_url(congress), headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again.content) == (304, b"")


def test_repeat_visit_with_last_modified_only_is_answered_304(client, congress):
    SessionFactory(congress=congress)
    first = client.get(_url(congress))

    again = client.get(_url(congress), headers={"if-modified-since": first["Last-Modified"]})

    assert (again.status_code, again.content) == (304, b"")


def test_cached_list_skips_the_sessions_queries(client, congress, django_assert_max_num_queries):
    SessionFactory.create_batch(3, congress=congress)
    client.get(_url(congress))

    with django_assert_max_num_queries(3):
        response = client.get(_url(congress))

    assert len(_titles(response)) == 3
