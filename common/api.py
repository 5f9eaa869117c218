"""API plumbing shared by every app: the one place that maps domain errors to HTTP, and the
request parsers."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.exceptions import DomainError
from common.input import unstorable_reason


def domain_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Domain errors to their status and body; DRF's own errors as DRF answers them. Errors
    are always JSON, even from a view that also renders CSV or XLSX (`?format=csv`)."""
    if isinstance(exc, DomainError):
        response = Response(exc.body(), status=exc.status_code)
    else:
        response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, except that a body nested deeper than Python's decoder can follow
    (thousands of `[`) is a 400 like any other malformed JSON, never a 500, and so is a body
    holding what no column can store: a NUL, a lone surrogate, a number like 1e400
    (common.input)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type=media_type, parser_context=parser_context)
        except RecursionError as error:
            raise ParseError(_("JSON parse error: the document is nested too deeply.")) from error
        reason = unstorable_reason(data)
        if reason:
            raise ParseError(reason)
        return data


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, answered without parsing for the usual API client: no
    format asked for (no format suffix, no `?format=`) and an Accept header that is absent,
    `*/*` or exactly the first renderer's media type. DRF picks the first renderer and its
    media type then too; anything else goes through DRF's own negotiation."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if renderers and not format_suffix:
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            first = renderers[0]
            if (accept == "*/*" or accept == first.media_type) and not (
                request.META.get("QUERY_STRING")
                and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            ):
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 of a URL no route matches: JSON under /api/ (the API's one error body, e.g. a
    slug with characters a slug cannot have), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
