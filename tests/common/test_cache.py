import logging

import pytest
import time_machine
from django.core.cache import cache

from common.cache import cache_failure_count, cache_get, cache_incr, cache_set, degrade
from common.ratelimit import Rate, hit


class CacheDown(ConnectionError):
    pass


def _fail():
    raise CacheDown("redis at 10.0.0.9:6379 refused")


@pytest.fixture(autouse=True)
def _fresh_breaker():
    from common.cache import reset_cache_failures

    reset_cache_failures()
    yield
    reset_cache_failures()


def test_degrade_cache_error_returns_fallback_and_counts():
    value = degrade("get", _fail, "fallback")

    assert (value, cache_failure_count()) == ("fallback", 1)


def test_degrade_logs_once_a_minute_without_the_error_text(caplog, settings):
    settings.CACHE_RETRY_AFTER_SECONDS = 0
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        with time_machine.travel(1_800_000_000, tick=False):
            degrade("get", _fail, None)
            degrade("get", _fail, None)
        with time_machine.travel(1_800_000_061, tick=False):
            degrade("set", _fail, None)

    assert [record.getMessage() for record in caplog.records] == [
        "cache unavailable, degrading (get failed: CacheDown; 1 failures in this process so far)",
        "cache unavailable, degrading (set failed: CacheDown; 3 failures in this process so far)",
    ]


def test_degrade_skips_the_cache_for_a_while_after_a_failure(settings):
    settings.CACHE_RETRY_AFTER_SECONDS = 5
    calls = []
    with time_machine.travel(1_800_000_000, tick=False):
        degrade("get", _fail, None)
        skipped = degrade("get", lambda: calls.append(1) or "hit", "fallback")
    with time_machine.travel(1_800_000_006, tick=False):
        tried = degrade("get", lambda: calls.append(1) or "hit", "fallback")

    assert (skipped, tried, calls) == ("fallback", "hit", [1])


def test_degrade_lets_a_callers_value_error_through():
    def missing_key():
        raise ValueError("Key not found")

    with pytest.raises(ValueError, match="Key not found"):
        degrade("incr", missing_key, 0)


def test_cache_helpers_work_on_a_working_cache():
    cache.clear()

    cache_set("greeting", "salam", timeout=60)
    counts = [cache_incr("counter"), cache_incr("counter", delta=2)]

    assert (cache_get("greeting"), counts) == ("salam", [1, 3])


def test_rate_limit_with_redis_unreachable_allows_and_counts(redis_unreachable):
    results = [hit(scope="test", key="203.0.113.1", rate=Rate(1, 60)) for _ in range(3)]

    assert [result.allowed for result in results] == [True, True, True]
    assert cache_failure_count() == 3
