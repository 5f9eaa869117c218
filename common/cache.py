"""The shared cache (Redis in production), used so that an outage degrades instead of failing.

Every use of the cache in this project goes through these helpers: a cache error (Redis down,
a timeout, a refused connection) is counted and logged at most once a minute, and the caller
gets the fallback it asked for. The door keeps scanning and staff keep signing in while the
cache is down; only what the cache adds (rate limits across processes, cached pages) is lost
until it is back. `/healthz` reports the cache as down meanwhile (common.health).

After a failure the helpers skip the cache for settings.CACHE_RETRY_AFTER_SECONDS (default 5)
and answer the fallback at once: a Redis that does not answer would otherwise cost every
request its socket timeout (REDIS_TIMEOUT).

    from common.cache import cache_get, cache_set

    html = cache_get("programme:...", default=None)
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger("common.cache")

# At most one log line per interval, however many requests hit the outage.
LOG_INTERVAL_SECONDS = 60

T = TypeVar("T")

_lock = threading.Lock()
_failures = 0
_last_logged = float("-inf")
_skip_until = float("-inf")


def record_cache_failure(*, operation: str, error: BaseException) -> None:
    """Count one failed cache operation; log it unless a line was written in the last minute.

    The log line names the operation and the error's class only (a key may be derived from a
    username or an address, and a message may quote it).
    """
    global _failures, _last_logged, _skip_until
    with _lock:
        _failures += 1
        now = time.time()
        _skip_until = now + getattr(settings, "CACHE_RETRY_AFTER_SECONDS", 5)
        should_log = now - _last_logged >= LOG_INTERVAL_SECONDS
        if should_log:
            _last_logged = now
        failures = _failures
    if should_log:
        logger.warning(
            "cache unavailable, degrading (%s failed: %s; %d failures in this process so far)",
            operation,
            type(error).__name__,
            failures,
        )


def cache_failure_count() -> int:
    """Cache operations that failed in this process since it started."""
    return _failures


def reset_cache_failures() -> None:
    """Forget the count, the last log time and the pause after a failure (tests)."""
    global _failures, _last_logged, _skip_until
    with _lock:
        _failures = 0
        _last_logged = float("-inf")
        _skip_until = float("-inf")


def degrade(operation: str, call: Callable[[], T], fallback: T) -> T:
    """`call()`, or `fallback` when the cache fails (counted and logged, see above).

    Only errors of the cache itself are caught (any exception other than the ValueError,
    TypeError and KeyError a caller may rely on, such as `incr` on a missing key). Within
    CACHE_RETRY_AFTER_SECONDS of a failure the cache is not tried at all.
    """
    if time.time() < _skip_until:
        return fallback
    try:
        return call()
    except (ValueError, TypeError, KeyError):
        raise
    except Exception as error:
        record_cache_failure(operation=operation, error=error)
        return fallback


def cache_get(key: str, *, default: Any = None) -> Any:
    return degrade("get", lambda: cache.get(key, default), default)


def cache_set(key: str, value: Any, *, timeout: int | None = None) -> bool:
    """Store `value`; False when the cache is down."""
    return degrade("set", lambda: cache.set(key, value, timeout=timeout) or True, False)


def cache_delete(key: str) -> bool:
    return degrade("delete", lambda: bool(cache.delete(key)), False)


def cache_incr(key: str, *, delta: int = 1, default: int | None = None) -> int | None:
    """Increment `key` by `delta`, creating it (with `delta`) when missing; `default` when the
    cache is down."""

    def call() -> int:
        try:
            return cache.incr(key, delta)
        except ValueError:  # missing key
            if cache.add(key, delta, timeout=None):
                return delta
            return cache.incr(key, delta)

    return degrade("incr", call, default)


def cache_version(key: str) -> int | None:
    """The version number kept under `key` (ns since the epoch of the last change), set when
    missing (a new object, or the cache emptied); None when the cache is down."""
    version = cache_get(key)
    if version is None:
        version = time.time_ns()
        if not cache_set(key, version, timeout=None):
            return None
    return version


def connect_to_changes(receiver: Callable, *models, prefix: str) -> None:
    """Connect `receiver` to `post_save` and `post_delete` of each model: the changes that
    bump a cached object's version (dispatch uids made from `prefix` and the model)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        uid = f"{prefix}_{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}_deleted")


def bump_cache_versions(keys: Iterable[str]) -> None:
    """Give each key a new version now, and again when the transaction commits: a process
    that reads the old rows between the two (before the commit) reads them again after it."""
    keys = sorted(set(keys))
    if not keys:
        return

    def bump() -> None:
        version = time.time_ns()
        for key in keys:
            cache_set(key, version, timeout=None)

    bump()
    transaction.on_commit(bump)
