"""URLs of the privacy features: two-factor login, API tokens, audit log, erasure requests.

Included once from the root URLconf outside the language prefix (it also carries an API
path); pages take their language from the language cookie / browser like any
non-prefixed page. Names live in the "privacy" namespace, except the API token endpoint.
"""

from django.urls import include, path

from privacy import accounts, views

pages = [
    path("accounts/two-factor/", accounts.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/setup/", accounts.two_factor_enrol, name="two-factor-enrol"),
    path("privacy/congresses/<slug:slug>/audit/", views.audit_log, name="audit-log"),
    path(
        "privacy/congresses/<slug:slug>/erasure-requests/",
        views.erasure_requests,
        name="erasure-requests",
    ),
    path(
        "privacy/congresses/<slug:slug>/erasure-requests/<int:pk>/",
        views.decide_erasure,
        name="erasure-decide",
    ),
    path(
        "privacy/self-service/<str:token>/erasure/",
        views.erasure_request_page,
        name="erasure-request",
    ),
]

urlpatterns = [
    path("api/v1/auth/token/", accounts.ObtainTokenView.as_view(), name="api-auth-token"),
    path("", include((pages, "privacy"))),
]
