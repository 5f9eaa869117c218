"""A small fixed-window rate limiter on the shared cache (Redis in production).

Every app server shares the cache, so a limit holds across processes; nothing is kept in
process memory. Keys are hashed, so no username or address is ever written to the cache in
clear. Use it from any view:

    from common.ratelimit import Rate, client_ip, hit

    result = hit(scope="checkin-scan", key=client_ip(request), rate=Rate(120, 60))
    if not result.allowed:
        raise RateLimited(retry_after=result.retry_after)

A fixed window lets a burst of up to twice the limit straddle a window boundary; that is
accepted in exchange for one cache round-trip per request.

When the cache is down the limiter fails open: every attempt is allowed (count 0), the
failure is counted and logged once a minute (common.cache), and `/healthz` reports the cache.
A door that cannot scan or staff who cannot sign in cost more than a few minutes without
a limit; the per-account lockout of django's own password checks and two-factor codes still
apply.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.cache import degrade
from common.exceptions import DomainError


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'10/300' means 10 requests per 300 seconds."""
        limit, _slash, window = text.partition("/")
        return cls(int(limit), int(window or "60"))


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    retry_after: int


class RateLimited(DomainError):
    code = "rate_limited"
    status_code = 429
    default_message = _("Too many attempts. Please wait a few minutes and try again.")

    def __init__(self, message=None, *, retry_after: int = 60, **context):
        self.retry_after = retry_after
        super().__init__(message, **context)


def hashed(value: str) -> str:
    """A keyed, non-reversible digest of an identifier (username, address) for keys and logs."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()
    return digest[:32]


def _cache_key(scope: str, key: str, rate: Rate, now: float) -> tuple[str, int]:
    window = int(now // rate.window_seconds)
    retry_after = int((window + 1) * rate.window_seconds - now) + 1
    return f"ratelimit:{scope}:{hashed(key)}:{window}", retry_after


def hit(*, scope: str, key: str, rate: Rate, cost: int = 1) -> RateLimitResult:
    """Count `cost` attempts for (scope, key); `allowed` is False once the limit is exceeded.

    Increments first, so every attempt but the first of a window costs one cache round trip
    (scanning calls this on each badge scan).
    """
    cache_key, retry_after = _cache_key(scope, key, rate, time.time())
    timeout = rate.window_seconds + 1

    def count_attempt() -> int:
        try:
            return cache.incr(cache_key, cost)
        except ValueError:  # first attempt of the window (or the key just expired)
            if cache.add(cache_key, cost, timeout=timeout):
                return cost
            try:  # another request created it meanwhile
                return cache.incr(cache_key, cost)
            except ValueError:
                cache.set(cache_key, cost, timeout=timeout)
                return cost

    count = degrade("ratelimit", count_attempt, 0)
    return RateLimitResult(allowed=count <= rate.limit, count=count, retry_after=retry_after)


def peek(*, scope: str, key: str, rate: Rate) -> RateLimitResult:
    """The current state of (scope, key) without counting an attempt."""
    cache_key, retry_after = _cache_key(scope, key, rate, time.time())
    count = degrade("ratelimit", lambda: cache.get(cache_key, 0), 0)
    return RateLimitResult(allowed=count < rate.limit, count=count, retry_after=retry_after)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For when trusted.

    Set RATELIMIT_TRUSTED_PROXY_COUNT to the number of reverse proxies in front of the app;
    0 (the default) ignores X-Forwarded-For, which a client can forge.
    """
    proxies = getattr(settings, "RATELIMIT_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
