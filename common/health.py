"""Readiness (`/healthz`) and liveness (`/livez`) for load balancers and monitoring.

`/healthz` checks what a request needs and answers 200 when all of it works, 503 otherwise,
with a JSON body naming each check:

    {"status": "down", "down": ["cache"],
     "checks": {"database": "ok", "cache": "down", "tasks": "ok", "mail": "ok"},
     "cache_failures": 12}

- database: one `SELECT 1` on the default connection;
- cache: a write and a read of one key on the shared cache (Redis in production);
- tasks: with the database task backend, the oldest task waiting to run must be younger than
  settings.HEALTH_TASK_MAX_WAIT_SECONDS (default 300): an older one means no worker runs.
  "not_used" with the immediate backend;
- mail: "down" when the last attempt to send an e-mail in the last
  settings.HEALTH_MAIL_ERROR_SECONDS (default 900) failed (recorded by common.mail in the
  shared cache); "unknown" when the cache cannot say.

A node answering 503 should get no new traffic; the door keeps scanning on it anyway (the
cache degrades, see common.cache). `/livez` answers 200 "ok" without touching anything: it
only says the process serves requests (restart it when it does not).

Nothing personal is read or written; error classes are logged, never their messages.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from common.cache import cache_delete, cache_failure_count, cache_set, degrade

logger = logging.getLogger("common.health")

OK = "ok"
DOWN = "down"
MAIL_ERROR_KEY = "health:mail-last-error"
DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("health: database down (%s)", type(error).__name__)
        return DOWN
    return OK


def check_cache() -> str:
    try:
        probe = str(time.time())
        cache.set("health:probe", probe, timeout=30)
        if cache.get("health:probe") != probe:
            return DOWN
    except Exception as error:
        logger.warning("health: cache down (%s)", type(error).__name__)
        return DOWN
    return OK


def check_tasks() -> str:
    if settings.TASKS.get("default", {}).get("BACKEND") != DATABASE_TASK_BACKEND:
        return "not_used"
    from django_tasks_db.models import DBTaskResult

    limit = datetime.timedelta(seconds=getattr(settings, "HEALTH_TASK_MAX_WAIT_SECONDS", 300))
    try:
        oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at")[:1]
        row = list(oldest)
    except Exception as error:
        logger.warning("health: task queue unreadable (%s)", type(error).__name__)
        return DOWN
    if row and row[0][0] < timezone.now() - limit:
        return DOWN
    return OK


def record_mail_outcome(*, error: BaseException | None) -> None:
    """Remember (in the shared cache) whether the last e-mail could be sent."""
    if error is None:
        cache_delete(MAIL_ERROR_KEY)
    else:
        window = getattr(settings, "HEALTH_MAIL_ERROR_SECONDS", 900)
        cache_set(MAIL_ERROR_KEY, type(error).__name__, timeout=window)


def check_mail() -> str:
    unknown = object()
    value = degrade("get", lambda: cache.get(MAIL_ERROR_KEY, ""), unknown)
    if value is unknown:
        return "unknown"
    return DOWN if value else OK


def run_checks() -> dict[str, str]:
    return {
        "database": check_database(),
        "cache": check_cache(),
        "tasks": check_tasks(),
        "mail": check_mail(),
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    down = [name for name, state in checks.items() if state == DOWN]
    body = {
        "status": DOWN if down else OK,
        "down": down,
        "checks": checks,
        "cache_failures": cache_failure_count(),
    }
    return JsonResponse(body, status=503 if down else 200)


@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
