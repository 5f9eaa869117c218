"""Private links without their token in the URL after the first request.

Participants get private links by e-mail: `/en/registration/<token>/`, `/en/my-programme/
<token>/`, `/api/v1/registrations/<id>/badge.pdf?access=<token>` ... A token in a URL ends
up in access logs, proxy logs, browser history and Django's "Not Found" warnings. This
middleware keeps it there for one request only:

1. A GET (or HEAD) of any URL whose pattern has a `token` argument, with the real token in
   it, answers a redirect to the same URL with the token replaced by `~<handle>` (the first
   12 hex digits of the token's SHA-256: not a secret, it only names the cookie) and sets
   the cookie `pl_<handle>` holding the token: HttpOnly, Secure in production,
   SameSite=Lax, for PRIVATE_LINK_COOKIE_AGE seconds (default 14 days).
2. A request to a `~<handle>` URL gets the token back from that cookie before the view
   runs, so views keep taking `token` as before. Without the cookie (another browser) the
   view sees no valid token and answers as for an unknown link (404): open the e-mailed
   link again.
3. Pages and redirects answered for such a request carry `~<handle>` wherever the token
   would have appeared (links, form actions, Location), so following them never puts the
   token back into a URL.

The badge download's `?access=<token>` works the same way: the first request sets the
cookie `private_access` (for that path only) and redirects to the URL without it; the view
reads the token from that cookie or from an `Authorization: Access <token>` header
(`access_token_from(request)`). Old links keep working: they redirect.
"""

import hashlib
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

HANDLE_PREFIX = "~"
COOKIE_PREFIX = "pl_"
ACCESS_PARAMETER = "access"
ACCESS_COOKIE = "private_access"
_HANDLE = re.compile(r"[0-9a-f]{12}")
_TEXT_TYPES = ("text/html", "text/plain", "application/json")


def handle_for(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:12]


def access_token_from(request: HttpRequest) -> str:
    """The badge-download token: `Authorization: Access <token>`, the `private_access`
    cookie, or (an old link, before the middleware's redirect) `?access=`."""
    header = request.headers.get("Authorization", "")
    scheme, _space, value = header.partition(" ")
    if scheme.lower() == "access" and value.strip():
        return value.strip()
    return request.COOKIES.get(ACCESS_COOKIE) or request.GET.get(ACCESS_PARAMETER, "")


def _cookie_options() -> dict:
    return {
        "max_age": getattr(settings, "PRIVATE_LINK_COOKIE_AGE", 14 * 24 * 3600),
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
        "samesite": "Lax",
    }


class PrivateLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.GET.get(ACCESS_PARAMETER):
            return self._strip_access(request)
        response = self.get_response(request)
        token = getattr(request, "_private_link_token", None)
        if token:
            handle = handle_for(token)
            _hide(response, token, HANDLE_PREFIX + handle)
            if getattr(request, "_private_link_set_cookie", False):
                response.set_cookie(COOKIE_PREFIX + handle, token, **_cookie_options())
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs):
        token = kwargs.get("token")
        if not isinstance(token, str) or not token:
            return None
        if token.startswith(HANDLE_PREFIX):
            handle = token[len(HANDLE_PREFIX) :]
            real = (
                request.COOKIES.get(COOKIE_PREFIX + handle, "") if _HANDLE.fullmatch(handle) else ""
            )
            if real and handle_for(real) == handle:
                kwargs["token"] = real
                request._private_link_token = real
            return None
        if request.method not in ("GET", "HEAD"):
            # A form posted to the token URL itself (a page opened from an e-mail in a
            # browser without the cookie): the answer hides the token and sets the cookie,
            # so the page it redirects to finds the token again.
            request._private_link_token = token
            request._private_link_set_cookie = True
            return None
        handle = handle_for(token)
        path = request.get_full_path().replace(token, HANDLE_PREFIX + handle)
        response = HttpResponseRedirect(path)
        response.set_cookie(COOKIE_PREFIX + handle, token, **_cookie_options())
        response["Cache-Control"] = "no-store"
        return response

    def _strip_access(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.copy()
        token = query.pop(ACCESS_PARAMETER)[-1]
        remaining = query.urlencode()
        response = HttpResponseRedirect(request.path + (f"?{remaining}" if remaining else ""))
        response.set_cookie(ACCESS_COOKIE, token, path=request.path, **_cookie_options())
        response["Cache-Control"] = "no-store"
        return response


def _hide(response: HttpResponse, token: str, placeholder: str) -> None:
    """Replace the token by its placeholder in the Location and in a text body."""
    if "Location" in response:
        response["Location"] = response["Location"].replace(token, placeholder)
    if getattr(response, "streaming", False):
        return
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(_TEXT_TYPES):
        return
    encoded = token.encode()
    if encoded in response.content:
        response.content = response.content.replace(encoded, placeholder.encode())
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
