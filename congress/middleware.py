"""Request middleware of the congress pages."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class CongressTimeZoneMiddleware:
    """Start and end every request in the site's default time zone (UTC).

    `congress.permissions.congress_for_request` makes the congress's zone current for a
    congress page; the zone is a per-thread setting, so it must not outlive the request that
    set it (the next request on the same worker may be another congress's, or none).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
