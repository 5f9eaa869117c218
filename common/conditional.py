"""Conditional GETs for every page and API answer: an ETag from the content, 304 on a match.

Django's ConditionalGetMiddleware hashes the whole body, but every page carries a CSRF token
(the language switcher is a POST form) whose masked value changes on each request, so no
two answers ever matched. Here the ETag is computed from the body with the CSRF tokens'
values left out: a repeat visit to an unchanged page is answered 304 Not Modified with no
body, and any change of the content (a session renamed, a seat taken) changes the ETag at
once. A browser re-using its copy keeps a token that is still valid: the masked value
changes, the secret in the CSRF cookie does not.
"""

import hashlib
import re

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe, quote_etag

CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def content_etag(content: bytes) -> str:
    stable = CSRF_VALUE.sub(rb"\1\2", content)
    return quote_etag(hashlib.md5(stable, usedforsecurity=False).hexdigest())


class ConditionalGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if getattr(response, "streaming", False) or response.has_header("ETag"):
            return response
        if "no-store" in response.get("Cache-Control", ""):
            return response
        response["ETag"] = content_etag(response.content)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            # A view may set Last-Modified (the programme: its version's time); the ETag
            # still decides when the browser sends both (RFC 9110).
            last_modified=parse_http_date_safe(response.get("Last-Modified") or ""),
            response=response,
        )
