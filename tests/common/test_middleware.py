"""common.middleware answers exactly as the Django and django-csp middlewares it replaces
(issue 17): the same request through both stacks gives the same status, headers and body."""

import pytest
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from common.middleware import CSPMiddleware
from congress.models import CongressRole
from tests.factories.badges import CredentialFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

ORIGINALS = {
    "common.middleware.LocaleMiddleware": "django.middleware.locale.LocaleMiddleware",
    "common.middleware.MessageMiddleware": "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.CSPMiddleware": "csp.middleware.CSPMiddleware",
}


def _original_stack() -> list[str]:
    return [ORIGINALS.get(name, name) for name in settings.MIDDLEWARE]


def _answer(client, method: str, path: str, **extra):
    response = getattr(client, method)(path, **extra)
    return response.status_code, sorted(response.headers.items()), response.content


@pytest.mark.parametrize(
    ("method", "path", "extra"),
    [
        ("get", "/api/v1/congresses/", {}),
        ("get", "/api/v1/congresses/", {"HTTP_ACCEPT_LANGUAGE": "fr"}),
        ("get", "/api/v1/congresses/", {"HTTP_ACCEPT": "application/json"}),
        ("get", "/api/v1/no-such-route/", {}),
        ("get", "/en/", {}),
        ("get", "/fr/", {"HTTP_ACCEPT_LANGUAGE": "ar"}),
        ("get", "/", {"HTTP_ACCEPT_LANGUAGE": "fr"}),
        ("get", "/accounts/login/", {}),
        ("get", "/en/no-such-page/", {}),
        ("get", "/livez", {}),
        ("post", "/api/v1/congresses/", {"data": {}, "content_type": "application/json"}),
    ],
)
def test_middleware_answers_as_the_original_middleware(congress, method, path, extra):
    ours = _answer(Client(), method, path, **extra)

    # A new client loads the overridden middleware (a client loads it on its first request).
    with override_settings(MIDDLEWARE=_original_stack()):
        original = _answer(Client(), method, path, **extra)

    assert ours == original


def test_middleware_scan_answers_as_the_original_middleware(token_client, congress):
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    url = f"/api/v1/congresses/{congress.slug}/checkins/"
    token = CredentialFactory(registration=RegistrationFactory(congress=congress)).token
    first = token_client(staff).post(url, {"token": "z" * 22}, format="json")

    with override_settings(MIDDLEWARE=_original_stack()):
        second = token_client(staff).post(url, {"token": "z" * 22}, format="json")
    admitted = token_client(staff).post(url, {"token": token}, format="json")

    def headers(response):
        return sorted(response.headers.items())

    assert (first.status_code, headers(first)) == (second.status_code, headers(second))
    assert first.json()["result"] == second.json()["result"] == "invalid"
    assert admitted.json()["result"] == "ok"
    assert admitted["Content-Security-Policy"] == build_policy()
    assert admitted["Content-Language"] == "en"


def test_csp_middleware_keeps_a_views_own_policy():
    request = RequestFactory().get("/en/")
    response = HttpResponse("<p>preview</p>")
    response._csp_replace = {"frame-ancestors": ["'self'"]}
    middleware = CSPMiddleware(lambda request: response)

    answered = middleware(request)

    assert answered["Content-Security-Policy"] == build_policy(
        replace={"frame-ancestors": ["'self'"]}
    )
    assert "frame-ancestors 'self'" in answered["Content-Security-Policy"]


def test_csp_middleware_follows_changed_settings(client):
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}

    with override_settings(CONTENT_SECURITY_POLICY=policy):
        changed = client.get("/livez")
    restored = client.get("/livez")

    assert changed["Content-Security-Policy"] == "default-src 'none'"
    assert restored["Content-Security-Policy"] == build_policy()
