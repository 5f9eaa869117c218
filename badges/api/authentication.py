"""Token authentication for the door's hot path, with the token -> user lookup cached briefly.

DRF's TokenAuthentication reads the token and its user from the database on every request
(one query joining authtoken_token and the user). A scanner sends the same token for every
scan, so the check-in API keeps the answer in the shared cache for
settings.BADGES_AUTH_CACHE_SECONDS (default 30 s). The cache key is a SHA-256 hash of the
token, never the token (a secret). Deleting the token (sign-out, rotation) removes the entry
at once (badges.receivers); deactivating the user takes effect within the TTL. A cache
outage degrades to DRF's query (common.cache).
"""

import hashlib

from django.conf import settings
from drf_spectacular.authentication import TokenScheme
from rest_framework.authentication import TokenAuthentication

from common.cache import cache_delete, cache_get, cache_set


def token_cache_key(key: str) -> str:
    return "badges:api-token:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        cache_key = token_cache_key(key)
        user = cache_get(cache_key)
        if user is not None and user.is_active:
            return (user, None)
        user, token = super().authenticate_credentials(key)
        cache_set(cache_key, user, timeout=getattr(settings, "BADGES_AUTH_CACHE_SECONDS", 30))
        return (user, token)


def forget_token(*, key: str) -> None:
    cache_delete(token_cache_key(key))


class CachedTokenScheme(TokenScheme):
    """The OpenAPI security scheme of the scanner's cached token authentication: the same
    `Authorization: Token <key>` header as everywhere else, named apart so drf-spectacular
    does not see two different classes behind one component name."""

    target_class = "badges.api.authentication.CachedTokenAuthentication"
    name = "scannerTokenAuth"
    priority = 0
