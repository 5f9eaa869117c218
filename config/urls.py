"""Root URLs: every app's pages (under the language prefix) and API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common import health
from common.api import not_found

# The badges' routes come first: the door's scan is the most frequent API call and URLs are
# tried in order (no route of one app matches another's URLs: each has its own literal path).
api_v1 = [
    path("", include("badges.api.urls")),
    path("", include("congress.api.urls")),
    path("", include("registrations.api.urls")),
    path("", include("sessions.api.urls")),
    path("", include("cfp.api.urls")),
    path("", include("attendance.api.urls")),
    path("", include("messaging.api.urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="health"),
    path("livez", health.livez, name="live"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from ?script= instead of inline, so
    # the page runs under our CSP (script-src 'self').
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("stripe/", include("registrations.stripe_urls")),
    # django-anymail's tracking webhooks (bounces feed the outbox): /anymail/<esp>/tracking/
    path("anymail/", include("anymail.urls")),
    path("", include("privacy.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("congress.page_urls")),
    path("", include("congress.settings_urls")),
    path("", include("cfp.urls")),
    path("", include("cfp.settings_urls")),
    path("", include("registrations.urls")),
    path("", include("registrations.settings_urls")),
    path("", include("sessions.urls")),
    path("", include("sessions.settings_urls")),
    path("", include("badges.urls")),
    path("", include("attendance.urls")),
    path("", include("messaging.urls")),
    path("", include("travel.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
)

handler404 = not_found
