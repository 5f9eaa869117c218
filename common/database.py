"""Time limits on the database, and what a request answers when it runs into one.

Every statement has a time limit (DESIGN.md, Runtime). The limits are PostgreSQL session
settings sent when a connection opens (`options=-c statement_timeout=... -c lock_timeout=...`,
no extra round trip, config/settings/base.py); which limits a process gets depends on what
it is (config/settings/base.py, DATABASE_TIME_LIMITS):

- web requests: short (statement 5 s, lock wait 2 s by default): a table locked by a
  migration or a long report turns into a quick "try again" instead of a worker that hangs
  until gunicorn kills it, and the other requests (the door) keep their workers;
- management commands and the task worker: long (10 min, 1 min): bulk PDFs, imports and
  attendance reports legitimately take time.

`DatabaseBusyMiddleware` turns a statement or lock time-out (SQLSTATE 57014, 55P03) that
reaches the top of a request into a translated 503 with Retry-After, JSON under /api/.
It logs the kind of time-out only: never the SQL, its parameters or the error text, which
can quote the row's values (names, e-mail addresses).
"""

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

logger = logging.getLogger("common.database")

# PostgreSQL's SQLSTATE codes of a statement cancelled by statement_timeout and of a lock
# not obtained within lock_timeout.
QUERY_CANCELED = "57014"
LOCK_NOT_AVAILABLE = "55P03"
BUSY_STATES = {QUERY_CANCELED: "statement_timeout", LOCK_NOT_AVAILABLE: "lock_timeout"}
RETRY_AFTER_SECONDS = 5


def busy_kind(error: BaseException) -> str | None:
    """ "statement_timeout" or "lock_timeout" when `error` is one of those, else None."""
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return BUSY_STATES.get(state or "")


class DatabaseBusyMiddleware:
    """A database time-out answers 503 "try again" instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        kind = busy_kind(exception)
        if kind is None:
            return None
        logger.warning("database busy: %s on %s %s", kind, request.method, _route(request))
        message = gettext("The system is busy. Please try again in a few seconds.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "database_busy", "detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _route(request: HttpRequest) -> str:
    """The URL pattern (never the path itself, which may carry a token)."""
    match = getattr(request, "resolver_match", None)
    return match.route if match else "?"
