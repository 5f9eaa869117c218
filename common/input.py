"""Input the database cannot store, refused before it gets there.

PostgreSQL refuses a NUL character in text and a lone UTF-16 surrogate cannot be encoded;
a JSON number like 1e400 becomes an infinite float that no column holds. Any of these used
to travel to the database and come back as a 500 (with the row's values in the server's
log). Here they are a translated 400 instead:

- `RefuseUnstorableQueryMiddleware`: a NUL in the query string (`?q=%00`) of any page or API
  call. (Django decodes query strings and form bodies with replacement characters, so lone
  surrogates cannot arrive that way; Django's and DRF's CharFields refuse NUL in form and
  serializer fields themselves.)
- `unstorable_reason(data)`: used by the API's JSON parser (common.api) on every decoded body,
  whatever field (JSON fields, dictionary keys) a value lands in: lone surrogates, NUL in
  keys, numbers such as 1e400 that decode to infinity.
"""

import math

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NUL_MESSAGE = _("Text may not contain the NUL character.")
SURROGATE_MESSAGE = _("Text may not contain unpaired surrogate characters.")
NUMBER_MESSAGE = _("A number is too large.")


def _has_lone_surrogate(text: str) -> bool:
    # isascii(): no surrogate without a character-by-character look (most values).
    return not text.isascii() and any("\ud800" <= character <= "\udfff" for character in text)


def text_reason(text: str) -> str | None:
    """Why `text` cannot be stored, or None."""
    if "\x00" in text:
        return str(NUL_MESSAGE)
    if _has_lone_surrogate(text):
        return str(SURROGATE_MESSAGE)
    return None


def unstorable_reason(data: object) -> str | None:
    """Why a decoded JSON document cannot be stored (the first problem found), or None.

    Looks for lone surrogates in any string, NUL in object keys and non-finite numbers. A
    NUL inside a string value is left to the field that receives it (DRF's CharField and the
    answer validators refuse it with a message naming the field or question).
    """
    stack: list = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                return str(SURROGATE_MESSAGE)
        elif isinstance(value, float):
            if not math.isfinite(value):
                return str(NUMBER_MESSAGE)
        elif isinstance(value, dict):
            for key in value:
                reason = text_reason(key) if isinstance(key, str) else None
                if reason:
                    return reason
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return None


class RefuseUnstorableQueryMiddleware:
    """A query string holding NUL answers 400 (JSON for the API, plain text elsewhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or "\x00" in request.path:
            message = gettext("Text may not contain the NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid_input", "detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
