"""The badge QR page on the participant's phone, and where door staff land after login."""

import pytest
from django.urls import reverse

from badges.services import revoke_credentials
from registrations.self_service import issue_access_token, self_service_links
from tests.factories.badges import CredentialFactory

pytestmark = pytest.mark.django_db


def test_badge_qr_page_shows_the_token_as_a_readable_code(client, congress, svg_qr_codes):
    credential = CredentialFactory(
        registration__congress=congress, registration__person__name="Amal Haddad"
    )
    token = issue_access_token(registration=credential.registration)

    response = client.get(reverse("badges:self_badge_qr", kwargs={"token": token}), follow=True)

    body = response.content.decode()
    start = body.index('<div class="self-badge-code">') + len('<div class="self-badge-code">')
    assert svg_qr_codes(body[start : body.index("</div>", start)]) == [credential.token]
    assert '<p class="self-badge-name" id="badge-name">Amal Haddad</p>' in body
    assert response["Cache-Control"] == "private, no-cache"


def test_badge_qr_page_of_a_revoked_badge_shows_no_code(client, congress):
    credential = CredentialFactory(registration__congress=congress)
    revoke_credentials(registration=credential.registration, reason="banned")
    token = issue_access_token(registration=credential.registration)

    response = client.get(reverse("badges:self_badge_qr", kwargs={"token": token}), follow=True)

    assert (response.status_code, credential.token in response.content.decode()) == (404, False)


def test_badge_qr_page_is_offered_on_the_private_page():
    assert [link.url_name for link in self_service_links()].count("badges:self_badge_qr") == 1


def test_badge_qr_page_service_worker_is_scoped_to_the_page(client):
    url = reverse("badges:self_badge_sw", kwargs={"token": "abc"})

    body = client.get(url, follow=True).content.decode()

    assert url == "/en/me/abc/badge/sw.js"
    assert 'var CACHE = "badge-page-' in body


def test_door_staff_land_on_the_scanner_after_login(client, congress, checkin_staff):
    client.force_login(checkin_staff)

    response = client.get(reverse("badges:after_login"), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "badges:checkin_for_congress", kwargs={"slug": congress.slug}
    )


def test_organisers_land_on_the_home_page_after_login(client, organiser):
    client.force_login(organiser)

    response = client.get(reverse("badges:after_login"))

    assert response["Location"] == reverse("congress:home")


def test_login_redirects_through_the_landing(client, checkin_staff, settings):
    assert reverse(settings.LOGIN_REDIRECT_URL) == reverse("badges:after_login")
