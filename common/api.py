"""The one place that maps domain errors to HTTP for the API."""

from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.exceptions import DomainError


def domain_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": str(exc.message)}, status=exc.status_code)
    return exception_handler(exc, context)
