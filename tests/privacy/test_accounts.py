import logging
import re

import pytest
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from congress.models import AuditEvent, CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import UserFactory
from tests.factories.privacy import TOTPDeviceFactory, current_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, **extra)


def _strict_organiser():
    congress = CongressFactory(requires_two_factor=True)
    return CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user


def test_login_with_device_asks_for_code_before_any_page(client):
    user = UserFactory(is_staff=True)
    TOTPDeviceFactory(user=user)
    _login(client, user)

    response = client.get("/en/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('privacy:two-factor-verify')}?next=%2Fen%2Fadmin%2F"


def test_two_factor_verify_with_current_code_opens_the_page(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDeviceFactory(user=user)
    _login(client, user)

    response = client.post(
        reverse("privacy:two-factor-verify"),
        {"token": current_code(device), "next": "/en/admin/"},
    )

    assert response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_two_factor_verify_with_wrong_code_shows_error(client):
    user = UserFactory(is_staff=True)
    device = TOTPDeviceFactory(user=user)
    _login(client, user)
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"

    response = client.post(reverse("privacy:two-factor-verify"), {"token": wrong})

    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get("/en/admin/").status_code == 302


def test_login_without_device_and_not_required_goes_straight_in(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    _login(client, user)

    response = client.get("/en/admin/")

    assert response.status_code == 200


def test_organiser_of_congress_requiring_two_factor_must_enrol(client):
    user = _strict_organiser()
    client.force_login(user)

    response = client.get("/en/admin/")

    assert response["Location"] == f"{reverse('privacy:two-factor-enrol')}?next=%2Fen%2Fadmin%2F"


def test_organiser_requiring_two_factor_session_api_is_refused(client):
    user = _strict_organiser()
    client.force_login(user)

    response = client.get("/api/v1/congresses/")

    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_organiser_requiring_two_factor_token_api_keeps_working(token_client):
    user = _strict_organiser()

    response = token_client(user).get("/api/v1/congresses/")

    assert response.status_code == 200


def test_two_factor_enrol_shows_inline_svg_qr_and_secret(client):
    user = _strict_organiser()
    client.force_login(user)

    response = client.get(reverse("privacy:two-factor-enrol"))

    body = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert re.findall(r'<svg [^>]*class="(totp-qr)"', body) == ["totp-qr"]
    assert "<script" not in body.split("<main", 1)[1]
    assert "style=" not in body


def test_two_factor_enrol_qr_decodes_to_the_devices_otpauth_uri(client, svg_qr_codes):
    user = _strict_organiser()
    client.force_login(user)

    response = client.get(reverse("privacy:two-factor-enrol"))

    device = TOTPDevice.objects.get(user=user)
    [svg] = re.findall(r'<svg [^>]*class="totp-qr".*?</svg>', response.content.decode(), re.S)
    assert svg_qr_codes(svg) == [device.config_url]
    assert device.config_url.startswith("otpauth://totp/")


def test_two_factor_enrol_with_code_confirms_device_and_opens_admin(client):
    user = _strict_organiser()
    client.force_login(user)
    client.get(reverse("privacy:two-factor-enrol"))
    device = TOTPDevice.objects.get(user=user)

    response = client.post(
        reverse("privacy:two-factor-enrol"), {"token": current_code(device), "next": "/en/admin/"}
    )

    device.refresh_from_db()
    assert response["Location"] == "/en/admin/"
    assert device.confirmed is True
    assert client.get("/en/admin/").status_code == 200
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "account.two_factor_enabled"
    ]


def test_two_factor_enrol_with_unverified_existing_device_redirects_to_verify(client):
    user = UserFactory(is_staff=True)
    TOTPDeviceFactory(user=user)
    client.force_login(user)

    response = client.get(reverse("privacy:two-factor-enrol"))

    assert response["Location"].startswith(reverse("privacy:two-factor-verify"))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_two_factor_verify_rejects_offsite_next(client):
    user = UserFactory(is_staff=True)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)

    response = client.post(
        reverse("privacy:two-factor-verify"),
        {"token": current_code(device), "next": "https://evil.example.com/"},
    )

    # LOGIN_REDIRECT_URL: the landing sends door staff to the scanner, others home.
    assert response["Location"] == reverse("badges:after_login")


def test_login_post_over_the_limit_is_refused_with_429(client, settings):
    settings.LOGIN_RATE_LIMIT = "3/300"
    user = UserFactory()
    for _attempt in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    response = _login(client, user)

    assert response.status_code == 429
    assert "Too many login attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_login_rate_limit_is_per_client_address(client, settings):
    settings.LOGIN_RATE_LIMIT = "2/300"
    user = UserFactory(is_staff=True, is_superuser=True)
    for _attempt in range(2):
        client.post(reverse("login"), {"username": "x", "password": "y"}, REMOTE_ADDR="203.0.113.9")

    response = _login(client, user, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_failed_login_is_logged_without_password_or_username(client, caplog):
    user = UserFactory(username="amina.bensalem")

    with caplog.at_level(logging.WARNING, logger="privacy.accounts"):
        client.post(reverse("login"), {"username": user.username, "password": "s3cret-Pa55"})

    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith("login failed: username_hash=")
    assert "s3cret-Pa55" not in message
    assert "amina" not in message


def test_failed_login_burst_writes_one_audit_row_without_username(settings):
    settings.LOGIN_FAILURE_AUDIT_RATE = "3/900"
    user = UserFactory(username="karim.haddad")

    for _attempt in range(5):
        authenticate(username=user.username, password="wrong")

    events = list(AuditEvent.objects.all())
    assert [event.action for event in events] == ["account.login_failures"]
    assert events[0].detail["failures"] == 3
    assert "karim" not in str(events[0].detail)


def test_api_token_with_password_returns_token(api_client):
    user = UserFactory()

    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_api_token_with_wrong_password_is_refused(api_client):
    user = UserFactory()

    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not Token.objects.exists()


def test_api_token_for_user_with_device_needs_the_code(api_client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    payload = {"username": user.username, "password": PASSWORD}

    without = api_client.post("/api/v1/auth/token/", payload, format="json")
    with_code = api_client.post(
        "/api/v1/auth/token/", {**payload, "otp_token": current_code(device)}, format="json"
    )

    assert without.json()["code"] == "two_factor_required"
    assert with_code.json() == {"token": Token.objects.get(user=user).key}


def test_api_token_for_organiser_without_device_when_required_is_refused(api_client):
    user = _strict_organiser()

    response = api_client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_enrolment_required"
    assert not Token.objects.exists()


def test_api_token_over_the_limit_is_refused_with_429(api_client, settings):
    settings.API_TOKEN_RATE_LIMIT = "2/300"
    user = UserFactory()
    payload = {"username": user.username, "password": PASSWORD}
    for _attempt in range(2):
        api_client.post("/api/v1/auth/token/", {**payload, "password": "x"}, format="json")

    response = api_client.post("/api/v1/auth/token/", payload, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert not Token.objects.exists()


def test_two_factor_redirect_keeps_the_whole_query_string(client):
    user = UserFactory(is_staff=True)
    TOTPDeviceFactory(user=user)
    client.force_login(user)

    response = client.get("/en/admin/?q=a&page=2")

    assert response["Location"] == (
        f"{reverse('privacy:two-factor-verify')}?next=%2Fen%2Fadmin%2F%3Fq%3Da%26page%3D2"
    )
