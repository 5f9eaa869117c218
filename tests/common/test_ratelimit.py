import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from common.ratelimit import Rate, client_ip, hit


def test_hit_within_limit_is_allowed_then_refused():
    cache.clear()
    rate = Rate(2, 60)

    results = [hit(scope="test", key="203.0.113.1", rate=rate).allowed for _ in range(3)]

    assert results == [True, True, False]


def test_hit_new_window_starts_counting_again():
    cache.clear()
    rate = Rate(1, 60)
    with time_machine.travel(1_800_000_000, tick=False):
        hit(scope="test", key="k", rate=rate)
        refused = hit(scope="test", key="k", rate=rate)
    with time_machine.travel(1_800_000_061, tick=False):
        allowed = hit(scope="test", key="k", rate=rate)

    assert (refused.allowed, allowed.allowed) == (False, True)


def test_cache_keys_never_hold_the_identifier_in_clear():
    cache.clear()

    hit(scope="login", key="amina@example.org", rate=Rate(5, 60))

    assert all("amina" not in key for key in cache._cache)


def test_client_ip_ignores_forwarded_header_unless_proxies_are_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.5"
    )

    settings.RATELIMIT_TRUSTED_PROXY_COUNT = 0
    direct = client_ip(request)
    settings.RATELIMIT_TRUSTED_PROXY_COUNT = 1
    proxied = client_ip(request)

    assert (direct, proxied) == ("10.0.0.1", "203.0.113.5")
