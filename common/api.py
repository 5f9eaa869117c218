"""API plumbing shared by every app: the one place that maps domain errors to HTTP, and the
request parsers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.exceptions import DomainError
from common.input import unstorable_reason


def domain_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.body(), status=exc.status_code)
    return exception_handler(exc, context)


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
