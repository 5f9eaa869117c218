"""Private links: the token leaves the URL after the first request (issue 17)."""

import pytest

from registrations.self_service import issue_access_token
from tests.factories.badges import CredentialFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def _access_log_line(response) -> str:
    """What gunicorn's access log (gunicorn.conf.py) and a proxy would write for a request."""
    request = response.request
    query = request.get("QUERY_STRING", "")
    return f'"{request["REQUEST_METHOD"]} {request["PATH_INFO"]}{"?" + query if query else ""}"'


def test_private_link_redirects_without_the_token_and_sets_a_scoped_cookie(client):
    registration = RegistrationFactory(person__name="Amal Haddad")
    token = issue_access_token(registration=registration)

    response = client.get(f"/en/registration/{token}/")

    location = response["Location"]
    cookie = next(morsel for morsel in response.cookies.values() if morsel.value == token)
    assert response.status_code == 302
    assert token not in location
    assert location.startswith("/en/registration/~")
    assert (cookie["httponly"], cookie["samesite"], cookie["path"]) == (True, "Lax", "/")


def test_private_link_token_never_in_an_access_log_line_after_the_first_request(client):
    registration = RegistrationFactory(person__name="Amal Haddad")
    token = issue_access_token(registration=registration)
    first = client.get(f"/en/registration/{token}/")

    page = client.get(first["Location"])
    html = page.content.decode()
    agenda = client.get(f"/en/my-programme/{first['Location'].split('/')[3]}/")
    lines = [_access_log_line(response) for response in (page, agenda)]

    assert (page.status_code, agenda.status_code) == (200, 200)
    assert "Amal Haddad" in html
    assert token not in html
    assert [token in line for line in lines] == [False, False]


def test_private_link_placeholder_without_the_cookie_is_not_found(client):
    registration = RegistrationFactory()
    token = issue_access_token(registration=registration)
    location = client.get(f"/en/registration/{token}/")["Location"]
    client.cookies.clear()

    response = client.get(location)

    assert response.status_code == 404


def test_badge_access_link_redirects_and_downloads_with_the_cookie(client):
    registration = CredentialFactory().registration
    token = issue_access_token(registration=registration)
    url = f"/api/v1/registrations/{registration.pk}/badge.pdf"

    first = client.get(f"{url}?access={token}")
    second = client.get(first["Location"])

    assert (first.status_code, first["Location"]) == (302, url)
    assert first.cookies["private_access"]["path"] == url
    assert (second.status_code, b"".join(second.streaming_content)[:5]) == (200, b"%PDF-")
    assert token not in _access_log_line(second)


def test_badge_download_with_authorization_access_header(client):
    registration = CredentialFactory().registration
    token = issue_access_token(registration=registration)

    response = client.get(
        f"/api/v1/registrations/{registration.pk}/badge.pdf",
        HTTP_AUTHORIZATION=f"Access {token}",
    )

    assert (response.status_code, b"".join(response.streaming_content)[:5]) == (200, b"%PDF-")


def test_a_form_posted_to_the_token_url_sets_the_cookie_for_the_page_it_redirects_to(client):
    registration = RegistrationFactory()
    token = issue_access_token(registration=registration)

    response = client.post(
        f"/en/registration/{token}/answers/", {"list_visibility": "nowhere"}, follow=True
    )

    assert (response.status_code, token in response.redirect_chain[0][0]) == (200, False)
