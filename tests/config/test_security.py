import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict:
    clean = {
        key: value
        for key, value in os.environ.items()
        # The e2e fixtures set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; production never does.
        if key
        not in {
            "SECRET_KEY",
            "DJANGO_DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "congress.example.org",
        **extra,
    }


def test_check_deploy_with_production_settings_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def page_response(client, db):
    return client.get("/en/", secure=True)


def test_response_has_hsts_header(page_response):
    assert page_response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_response_csp_forbids_inline_scripts_and_framing(page_response):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page_response["Content-Security-Policy"].split(";")
        if directive.strip()
    )

    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in page_response["Content-Security-Policy"]


def test_response_denies_framing_and_sets_referrer_policy(page_response):
    assert page_response["X-Frame-Options"] == "DENY"
    assert page_response["Referrer-Policy"] == "same-origin"
    assert page_response["X-Content-Type-Options"] == "nosniff"
    assert page_response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_response_has_the_same_security_headers(client, db):
    response = client.get("/api/v1/congresses/", secure=True)

    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_secure_http_only_and_same_site(client, db):
    from tests.factories.members import UserFactory

    user = UserFactory()
    response = client.post(
        "/en/accounts/login/",
        {"username": user.username, "password": "correct horse battery staple"},
        secure=True,
    )

    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
