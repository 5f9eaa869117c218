"""The public programme's session list, rendered once per congress, language and version.

Rendering the programme (the sessions query, speakers, cards for every day) is most of the
page's cost; it is the same for every visitor of a language. The unfiltered list is kept in
the shared cache under a key naming the congress, the language and the programme version.

The version is the time (ns) of the last change that can alter any programme: any model of
the programme, congress or members apps saved or deleted (a session, room, track, speaker,
sign-up, person, organisation; a congress published, unpublished or renamed) sets it anew
(`post_save`/`post_delete` receivers, at once and again on commit), so an edit shows on the
next request. It also gives the page its Last-Modified header. Nothing is invalidated by
hand; the old entries expire (PROGRAMME_CACHE_SECONDS, default 1 hour). A cache outage
renders every time (common.cache). docs/programme.md, "Cache".
"""

import time

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from common.cache import cache_get, cache_set

VERSION_KEY = "programme:version"
WATCHED_APPS = frozenset({"programme", "congress", "members"})


def programme_version() -> int:
    """The current version (ns since the epoch of the last change); set when missing."""
    version = cache_get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache_set(VERSION_KEY, version, timeout=None)
    return version


def bump_programme_version() -> None:
    cache_set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_session_list(*, congress_id: int, version: int, render, part: str = "list") -> str:
    """The rendered `part` (the session list, or the unfilled filter form) for this
    congress, language and version; `render()` on a miss."""
    timeout = getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600)
    if not timeout:  # 0: no cache (the benchmark's "before")
        return str(render())
    key = f"programme:{part}:{congress_id}:{get_language()}:{version}"
    html = cache_get(key)
    if html is None:
        html = str(render())
        cache_set(key, html, timeout=timeout)
    return html


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        bump_programme_version()
        transaction.on_commit(bump_programme_version)


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="programme_cache_saved")
    post_delete.connect(_changed, dispatch_uid="programme_cache_deleted")
