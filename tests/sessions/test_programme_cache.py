"""The public programme's cached session list (sessions.programme_cache): an edit shows on
the next request and renews only its own congress's page, a repeat visit is a 304 (ETag or
Last-Modified) answered before anything is rendered, the cached list costs no sessions query."""

import re

import pytest
from django.test import Client

from congress.models import Congress
from registrations import services as registration_services
from sessions.models import Session
from sessions.services import publish_programme, sign_up_for_session
from tests.factories.congress import CongressFactory
from tests.factories.members import UserFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)
from tests.factories.sessions import SessionFactory, SessionSpeakerFactory

# A page whose session list and filter form come from the cache renders these only.
# An anonymous visitor's page comes whole from the cache (nothing in it is per visitor: the
# language switcher is links), without a query or a template.
CACHED_PAGE_TEMPLATES = []
CACHED_PAGE_QUERIES = 0

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


def test_cached_list_skips_the_sessions_queries(client, congress, django_assert_num_queries):
    SessionFactory.create_batch(3, congress=congress)
    client.get(_url(congress))

    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        response = client.get(_url(congress))

    assert len(_titles(response)) == 3


def _template_names(response) -> list[str]:
    return [template.name for template in response.templates]


def _is_served_from_cache(client, congress, django_assert_num_queries) -> bool:
    with django_assert_num_queries(CACHED_PAGE_QUERIES):
        response = client.get(_url(congress))
    return _template_names(response) == CACHED_PAGE_TEMPLATES


@pytest.fixture
def other_programme(other_congress):
    SessionFactory(congress=other_congress, title="Regional opening")
    return other_congress


def test_edit_in_one_congress_leaves_the_other_congress_cached(
    client, congress, other_programme, django_assert_num_queries
):
    session = SessionFactory(congress=congress, title="Opening plenary")
    client.get(_url(congress))
    client.get(_url(other_programme))

    session.title = "Opening plenary (moved)"
    session.save()
    edited = client.get(_url(congress))

    assert (_titles(edited), _template_names(edited).count("sessions/_programme_days.html")) == (
        ["Opening plenary (moved)"],
        1,
    )
    assert _is_served_from_cache(client, other_programme, django_assert_num_queries)


def _category(congress):
    category = RegistrationCategoryFactory(congress=congress, capacity=10)
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


def test_registration_empties_no_programme(
    client, congress, other_programme, django_assert_num_queries
):
    SessionFactory(congress=congress)
    category = _category(congress)
    client.get(_url(congress))
    client.get(_url(other_programme))

    registration_services.register_participant(
        congress=congress,
        category=category,
        details=registration_services.RegistrantDetails(
            email="amina@example.org", name="أمينة بن سالم", country="TN"
        ),
    )

    assert [
        _is_served_from_cache(client, congress, django_assert_num_queries),
        _is_served_from_cache(client, other_programme, django_assert_num_queries),
    ] == [True, True]


def test_renamed_speaker_renews_only_the_congresses_where_they_speak(
    client, congress, other_programme, django_assert_num_queries
):
    speaker = SessionSpeakerFactory(session=SessionFactory(congress=congress))
    client.get(_url(congress))
    client.get(_url(other_programme))

    speaker.person.name = "Amal Haddad-Renamed"
    speaker.person.save()

    assert client.get(_url(congress)).content.decode().count("Amal Haddad-Renamed") == 1
    assert _is_served_from_cache(client, other_programme, django_assert_num_queries)


def test_speaker_registered_as_protected_is_hidden_at_once(client, congress):
    speaker = SessionSpeakerFactory(
        session=SessionFactory(congress=congress), person__name="Nadia Protected"
    )
    before = client.get(_url(congress)).content.decode().count("Nadia Protected")

    RegistrationFactory(congress=congress, person=speaker.person, is_protected=True)
    after = client.get(_url(congress)).content.decode().count("Nadia Protected")

    assert (before, after) == (1, 0)


def test_seat_taken_shows_at_once(client, congress):
    session = SessionFactory(congress=congress, requires_signup=True, capacity=2)
    client.get(_url(congress))

    sign_up_for_session(
        session=session,
        registration=RegistrationFactory(congress=congress),
    )
    response = client.get(_url(congress))

    assert re.findall(r'data-test="seats">([^<]+)<', response.content.decode()) == [
        "Sign-up required: 1 seat left"
    ]


def test_published_programme_shows_at_once(client, congress):
    SessionFactory(congress=congress, title="Draft plenary", status=Session.Status.DRAFT)
    client.get(_url(congress))

    publish_programme(congress=congress)
    response = client.get(_url(congress))

    assert _titles(response) == ["Draft plenary"]


def test_repeat_visit_is_answered_304_without_rendering(
    client, congress, django_assert_num_queries
):
    SessionFactory(congress=congress)
    first = client.get(_url(congress))

    with django_assert_num_queries(0):  # the published congress's id and version are cached
        again = client.get(_url(congress), headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again.content, again.templates) == (304, b"", [])
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])


def test_gzipped_page_and_its_304_name_the_same_etag_and_ask_to_revalidate(client, congress):
    SessionFactory(congress=congress)
    first = client.get(_url(congress), headers={"accept-encoding": "gzip"})

    again = client.get(
        _url(congress), headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]}
    )

    assert [
        (response.status_code, response["ETag"], response["Cache-Control"])
        for response in (first, again)
    ] == [(200, first["ETag"], "no-cache"), (304, first["ETag"], "no-cache")]


def test_repeat_visit_of_another_congress_page_is_not_304(client, congress, other_programme):
    SessionFactory(congress=congress)
    first = client.get(_url(congress))

    other = client.get(_url(other_programme), headers={"if-none-match": first["ETag"]})

    assert (other.status_code, _titles(other)) == (200, ["Regional opening"])


def test_repeat_visit_in_another_language_is_not_304(client, congress):
    SessionFactory(congress=congress)
    english = client.get(_url(congress))

    french = client.get(
        f"/fr/congresses/{congress.slug}/programme/", headers={"if-none-match": english["ETag"]}
    )

    assert (french.status_code, french.content.decode().count('<html lang="fr"')) == (200, 1)


def test_signed_in_visitor_does_not_get_the_anonymous_page_as_304(client, congress):
    SessionFactory(congress=congress)
    anonymous = client.get(_url(congress))
    client.force_login(UserFactory())

    signed_in = client.get(_url(congress), headers={"if-none-match": anonymous["ETag"]})

    assert (signed_in.status_code, signed_in.content.decode().count("Log out")) == (200, 1)


def test_waiting_message_is_shown_instead_of_a_304(client, congress):
    SessionFactory(congress=congress)
    client.force_login(UserFactory())
    first = client.get(_url(congress))

    # Opening "my agenda" without a registration sends the visitor back with a message.
    client.get(f"/en/congresses/{congress.slug}/programme/mine/")
    again = client.get(_url(congress), headers={"if-none-match": first["ETag"]})

    assert (again.status_code, again.content.decode().count('class="messages"')) == (200, 1)


def test_repeat_visit_after_a_slug_change_answers_404(client, congress):
    SessionFactory(congress=congress)
    old_url = _url(congress)
    first = client.get(old_url)

    congress.slug = "renamed-congress"
    congress.save()
    again = client.get(old_url, headers={"if-none-match": first["ETag"]})

    assert again.status_code == 404


def test_unpublished_congress_answers_404_to_a_repeat_visit(client):
    congress = CongressFactory()
    SessionFactory(congress=congress)
    first = client.get(_url(congress))

    congress.status = Congress.Status.DRAFT
    congress.save()
    again = client.get(_url(congress), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 404


def test_first_visit_gets_the_page_another_visitor_got_without_rendering(
    client, congress, django_assert_num_queries
):
    SessionFactory(congress=congress, title="Opening plenary")
    first = client.get(_url(congress), HTTP_ACCEPT_LANGUAGE="en")

    with django_assert_num_queries(0):
        second = Client().get(_url(congress))

    assert (second.status_code, second.content, second["ETag"], _template_names(second)) == (
        200,
        first.content,
        first["ETag"],
        [],
    )


def test_signed_in_visitor_gets_their_own_page_not_the_stored_one(client, congress, organiser):
    SessionFactory(congress=congress, title="Opening plenary")
    client.get(_url(congress))  # an anonymous visitor's page is stored
    client.force_login(organiser)

    page = client.get(_url(congress))

    assert _template_names(page)[:2] == ["sessions/programme.html", "base.html"]
    assert page.content.decode().count("Log out") == 1


def test_page_in_another_language_is_stored_apart(client, congress):
    SessionFactory(congress=congress, title="Opening plenary")
    english = client.get(_url(congress))

    french = client.get(f"/fr/congresses/{congress.slug}/programme/")

    assert (french.status_code, french.content.decode().count('<html lang="fr"')) == (200, 1)
    assert english.content.decode().count('<html lang="en"') == 1
