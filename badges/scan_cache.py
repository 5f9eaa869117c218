"""What every scan of one scanner repeats, cached briefly in the shared cache.

The congress (time zone, days, status), its entrance checkpoint, whether the scanner's user
holds a scanning role there, and a session door chosen by id: read once, then kept for
settings.BADGES_SCAN_CONTEXT_SECONDS (default 30 s) under a key naming the congress slug,
the user and a version number. Saving or deleting a checkpoint, a congress role or a
congress bumps the version (badges.receivers), so such a change shows on the next scan; the
short TTL covers what no signal reports (e.g. a raw SQL update). A cache outage degrades to
the queries (common.cache). See docs/badges.md, "Hot path".
"""

from django.conf import settings

from badges.models import Checkpoint
from badges.queries import scanning_context
from common.cache import cache_get, cache_incr, cache_set

VERSION_KEY = "badges:scan-context-version"


def _ttl() -> int:
    return getattr(settings, "BADGES_SCAN_CONTEXT_SECONDS", 30)


def _version() -> int:
    return cache_get(VERSION_KEY, default=0) or 0


def bump_scan_context_version() -> None:
    """Forget every cached scanning context and checkpoint (any change that may alter one)."""
    cache_incr(VERSION_KEY)


def cached_scanning_context(*, slug: str, user, roles: tuple[str, ...]):
    """`badges.queries.scanning_context`, cached per (slug, user, roles) while the entrance
    exists; no query at all on a hit."""
    if not (user and user.is_authenticated):
        return scanning_context(slug=slug, user=user, roles=roles)
    key = f"badges:scan-context:{_version()}:{slug}:{user.pk}:{'.'.join(roles)}"
    cached = cache_get(key)
    if cached is not None:
        return cached
    context = scanning_context(slug=slug, user=user, roles=roles)
    congress, entrance, _holds = context
    if congress is not None and entrance is not None:
        cache_set(key, context, timeout=_ttl())
    return context


def cached_checkpoint(*, congress, checkpoint_id: int) -> Checkpoint | None:
    """The congress's checkpoint with that id, or None (cached like the context)."""
    key = f"badges:checkpoint:{_version()}:{congress.pk}:{checkpoint_id}"
    checkpoint = cache_get(key)
    if checkpoint is not None:
        return checkpoint
    checkpoint = Checkpoint.objects.filter(pk=checkpoint_id, congress=congress).first()
    if checkpoint is not None:
        cache_set(key, checkpoint, timeout=_ttl())
    return checkpoint
