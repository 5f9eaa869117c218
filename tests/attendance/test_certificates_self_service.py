"""The participant's certificate link on the self-service page: a PDF, or a friendly page."""

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from registrations.self_service import issue_access_token, self_service_links
from tests.factories.attendance import at, scan, session_door
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_congress(congress):
    congress.name = "World Congress"
    congress.name_translations = {"ar": "المؤتمر العالمي", "fr": "Congrès mondial"}
    congress.save()
    return congress


def test_self_service_page_lists_the_certificate_link():

    links = [link for link in self_service_links() if link.url_name == "attendance:my_certificate"]

    with translation.override("en"):  # labels and URLs follow the active language
        assert [str(link.label) for link in links] == ["Certificate of attendance"]
        assert reverse(links[0].url_name, kwargs={"token": "abc"}) == "/en/certificates/mine/abc/"


@pytest.mark.parametrize(
    ("language", "direction", "congress_name"),
    [
        ("en", "ltr", "World Congress"),
        ("fr", "ltr", "Congrès mondial"),
        ("ar", "rtl", "المؤتمر العالمي"),
    ],
)
def test_no_certificate_yet_is_a_friendly_page_in_the_users_language(
    client, world_congress, language, direction, congress_name
):
    registration = RegistrationFactory(congress=world_congress, person__preferred_language="fr")
    token = issue_access_token(registration=registration)

    response = client.get(f"/{language}/certificates/mine/{token}/", follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert f'lang="{language}"' in body
    assert f'dir="{direction}"' in body
    assert f'<p id="no-certificate-congress">{congress_name}</p>' in body
    assert 'id="no-certificate"' in body


def test_no_certificate_for_someone_under_the_threshold_after_issuing(client, congress):
    door = session_door(congress, at(9), at(10))
    attended = RegistrationFactory(congress=congress)
    short = RegistrationFactory(congress=congress)
    scan(attended, door, at(9))
    set_certificate_threshold(congress=congress, minutes=60)
    close_congress(congress=congress)
    issue_certificates(congress=congress)

    mine = client.get(
        f"/en/certificates/mine/{issue_access_token(registration=attended)}/", follow=True
    )
    theirs = client.get(
        f"/en/certificates/mine/{issue_access_token(registration=short)}/", follow=True
    )

    assert (mine.status_code, mine["Content-Type"]) == (200, "application/pdf")
    assert (theirs.status_code, theirs["Content-Type"]) == (200, "text/html; charset=utf-8")


def test_unknown_token_is_still_not_found(client):
    response = client.get("/en/certificates/mine/not-a-token/", follow=True)

    assert response.status_code == 404
