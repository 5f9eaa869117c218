"""The public programme's session list, rendered once per congress, language and version,
and the page's validators (ETag, Last-Modified) computed without rendering it.

Rendering the programme (the sessions query, speakers, cards for every day) is most of the
page's cost; it is the same for every visitor of a language. The unfiltered list is kept in
the shared cache under a key naming the congress, the language, the release and the
congress's programme version.

Each congress has its own version: the time (ns) of the last change that shows on its
programme. `post_save`/`post_delete` receivers set it anew, at once and again on commit (a
page rendered meanwhile from the uncommitted rows gets the older version's key), for:

- the congress itself (its name, dates, time zone, publication) and its tracks;
- its rooms, sessions, speakers, sign-ups (seats left) and interpretation channels;
- a person whose shown name changes or who is erased: only the congresses where that person
  is a speaker (one query; a person created or saved with other fields changes nothing, so
  a registration rush empties no cache);
- a registration of a speaker that may hide or show them (a protected participant is never
  listed as a speaker): only when the registration is protected or its protection changes,
  and then only if the person speaks in that congress.

Services that write in bulk (publishing the programme, room channels, reordering tracks)
send no model signals: they call `bump_programme_version` themselves, or (the congress
app's reordering, which cannot import the programme) are seen through their audit row.
Nothing is invalidated by hand; old entries expire (PROGRAMME_CACHE_SECONDS, default 1
hour). A cache outage renders every time (common.cache). docs/programme.md, "Cache".
"""

import hashlib
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language

from common.cache import (
    bump_cache_versions,
    cache_get,
    cache_set,
    cache_version,
    connect_to_changes,
)
from congress.models import AuditEvent, Congress, Track
from members.models import Person
from registrations.models import Registration
from sessions.models import InterpretationChannel, Room, Session, SessionSignup, SessionSpeaker

# A person's fields the programme shows (a speaker's name; erasure hides them).
PERSON_FIELDS = frozenset({"name", "erased_at"})
# A registration's fields that decide whether its person is a protected participant.
REGISTRATION_FIELDS = frozenset({"is_protected", "status", "person", "congress"})
# Audit actions of bulk writes in apps below the programme that change what it shows.
AUDITED_BULK_ACTIONS = frozenset({"settings.reordered"})


def _version_key(congress_id: int) -> str:
    return f"programme:version:{congress_id}"


def programme_version(*, congress_id: int) -> int:
    """The congress's current version (ns since the epoch of its last change); set when
    missing (a new congress, or the cache emptied); a new one each time the cache is down."""
    return cache_version(_version_key(congress_id)) or time.time_ns()


def bump_programme_version(*, congress_ids: Iterable[int]) -> None:
    """Give each congress a new version now, and again when the transaction commits."""
    bump_cache_versions(_version_key(pk) for pk in congress_ids if pk is not None)


def _slug_key(slug: str) -> str:
    return f"programme:public:{slug}"


def remember_public_congress(*, slug: str, congress_id: int) -> None:
    """Note that `slug` names a published congress, whose programme anyone may see."""
    if getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600):
        cache_set(_slug_key(slug), congress_id, timeout=settings.PROGRAMME_CACHE_SECONDS)


def public_congress_id(*, slug: str) -> int | None:
    """The published congress named `slug`, as last seen, or None.

    Good enough to answer 304 without reading the congress: any change of the congress
    (unpublished, renamed, deleted) gives it a new version, so a validator computed before
    the change no longer matches and the request goes the whole way (and finds a 404).
    """
    return cache_get(_slug_key(slug))


_release: str | None = None


def release() -> str:
    """What the deployed code is: settings.RELEASE (the commit, set by the deployment) and
    the static files' manifest hash. A deploy gives every page a new ETag and cache key, so
    nobody keeps a page naming static files that are gone."""
    global _release
    if _release is None:
        manifest = getattr(staticfiles_storage, "manifest_hash", "") or ""
        _release = f"{getattr(settings, 'RELEASE', '')}:{manifest}"
    return _release


def cached_session_list(
    *, congress_id: int, version: int, render: Callable[[], str], part: str = "list"
) -> str:
    """The rendered `part` (the session list, or the unfilled filter form) for this
    congress, language and version; `render()` on a miss."""
    timeout = getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600)
    if not timeout:  # 0: no cache (the benchmark's "before")
        return str(render())
    key = f"programme:{part}:{congress_id}:{get_language()}:{release()}:{version}"
    html = cache_get(key)
    if html is None:
        html = str(render())
        cache_set(key, html, timeout=timeout)
    return html


def _page_key(*, congress_id: int, version: int) -> str:
    return f"programme:page:{congress_id}:{get_language()}:{release()}:{version}"


def cached_page(request: HttpRequest, *, congress_id: int, version: int) -> bytes | None:
    """The whole unfiltered page as an anonymous visitor of this language gets it, when a
    previous visitor's page was stored (`store_page`); None for anyone signed in."""
    if request.user.is_authenticated or not getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600):
        return None
    return cache_get(_page_key(congress_id=congress_id, version=version))


def store_page(request: HttpRequest, response, *, congress_id: int, version: int) -> None:
    """Keep an anonymous visitor's page for the next ones, when nothing in it is theirs: no
    CSRF token (the language switcher is links on the programme) and no cookie set."""
    timeout = getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600)
    if request.user.is_authenticated or not timeout or response.status_code != 200:
        return
    if response.cookies or b"csrfmiddlewaretoken" in response.content:
        return
    cache_set(
        _page_key(congress_id=congress_id, version=version), response.content, timeout=timeout
    )


def page_etag(request: HttpRequest, *, congress_id: int, version: int) -> str | None:
    """The ETag of the unfiltered programme page for this visitor, from what varies it: the
    congress's version, the language, the release, and the visitor's variant of the page
    (anonymous; signed in; signed in as an operator, who also sees the admin link). None
    when the page cannot be validated without rendering it: messages are waiting (shown
    once, on this page), or the cache is switched off."""
    if not getattr(settings, "PROGRAMME_CACHE_SECONDS", 3600):
        return None
    if len(get_messages(request)):  # counting does not mark them as shown
        return None
    user = request.user
    variant = "superuser" if user.is_superuser else "user" if user.is_authenticated else "anon"
    parts = f"{congress_id}:{version}:{get_language()}:{release()}:{variant}"
    # Weak: pages of one ETag differ in their CSRF token's masking (and gzip would weaken
    # a strong one, so the 304 and the 200 name it alike).
    return 'W/"' + hashlib.md5(parts.encode(), usedforsecurity=False).hexdigest() + '"'


# Receivers ----------------------------------------------------------------------------------


def _session_congress_id(instance) -> int | None:
    """The congress of an object that belongs to a session, without a query when the
    session is loaded already (a sign-up made by the service is)."""
    if instance.session_id is None:
        return None
    if type(instance).session.is_cached(instance):
        return instance.session.congress_id
    return (
        Session.objects.filter(pk=instance.session_id).values_list("congress_id", flat=True).first()
    )


def _congress_changed(sender, instance, **kwargs) -> None:
    bump_programme_version(congress_ids=[instance.pk])


def _owned_by_congress_changed(sender, instance, **kwargs) -> None:
    bump_programme_version(congress_ids=[instance.congress_id])


def _owned_by_session_changed(sender, instance, **kwargs) -> None:
    bump_programme_version(congress_ids=[_session_congress_id(instance)])


def _speaking_congress_ids(person_id: int, *, congress_id: int | None = None) -> list[int]:
    speakers = SessionSpeaker.objects.filter(person_id=person_id)
    if congress_id is not None:
        speakers = speakers.filter(session__congress_id=congress_id)
    return list(speakers.values_list("session__congress_id", flat=True).distinct())


def _person_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created:  # a new person speaks nowhere yet
        return
    if update_fields is not None and not PERSON_FIELDS & set(update_fields):
        return
    bump_programme_version(congress_ids=_speaking_congress_ids(instance.pk))


def _registration_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not REGISTRATION_FIELDS & set(update_fields):
        return
    # An unprotected registration hides nobody; it may only have stopped hiding its person
    # when its protection was (or may have been) taken away by this save.
    protection_may_have_changed = not created and (
        update_fields is None or "is_protected" in update_fields
    )
    if not instance.is_protected and not protection_may_have_changed:
        return
    bump_programme_version(
        congress_ids=_speaking_congress_ids(instance.person_id, congress_id=instance.congress_id)
    )


def _registration_deleted(sender, instance, **kwargs) -> None:
    if instance.is_protected:
        bump_programme_version(
            congress_ids=_speaking_congress_ids(
                instance.person_id, congress_id=instance.congress_id
            )
        )


def _audited(sender, instance, created, **kwargs) -> None:
    if created and instance.action in AUDITED_BULK_ACTIONS:
        bump_programme_version(congress_ids=[instance.congress_id])


def connect() -> None:
    receivers = (
        (Congress, _congress_changed),
        (Track, _owned_by_congress_changed),
        (Room, _owned_by_congress_changed),
        (Session, _owned_by_congress_changed),
        (InterpretationChannel, _owned_by_congress_changed),
        (SessionSpeaker, _owned_by_session_changed),
        (SessionSignup, _owned_by_session_changed),
    )
    for model, receiver in receivers:
        connect_to_changes(receiver, model, prefix="programme_cache")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="programme_cache_person")
    post_save.connect(
        _registration_saved, sender=Registration, dispatch_uid="programme_cache_registration"
    )
    post_delete.connect(
        _registration_deleted,
        sender=Registration,
        dispatch_uid="programme_cache_registration_deleted",
    )
    post_save.connect(_audited, sender=AuditEvent, dispatch_uid="programme_cache_audit")
