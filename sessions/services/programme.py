"""Rooms and sessions: creating, changing, publishing and deleting them, and the draft
sessions other apps put into the programme (an accepted proposal) and take out again."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from congress.models import Congress, Track
from congress.services import record_audit
from members.models import Person
from sessions.exceptions import (
    InvalidSessionTimes,
    SessionFarFromCongressDates,
    SessionHasSignups,
    SessionNotInCongress,
    SessionNotWithdrawable,
)
from sessions.models import InterpretationChannel, Room, Session, SessionSpeaker
from sessions.programme_cache import bump_programme_version
from sessions.signals import session_saved

Actor = AbstractBaseUser | AnonymousUser | None
# Fields whose change after publication participants must notice (time and place).
_VISIBLE_FIELDS = ("starts_at", "ends_at", "room_id", "status")
# A draft has no slot yet: it sits on the congress's first morning until it is scheduled.
DRAFT_STARTS_AT = datetime.time(9, 0)
DRAFT_DURATION = datetime.timedelta(minutes=90)
# How far from the congress's dates a session may lie (side events before or after it). A
# session outside the dates but within this margin is saved with a timetable warning.
SESSION_DATE_MARGIN_DAYS = 31


def _send_session_saved(session: Session, *, created: bool) -> None:
    transaction.on_commit(
        lambda: session_saved.send(sender=Session, session=session, created=created)
    )


def save_room(*, room: Room, actor: Actor = None) -> Room:
    """Create or change a room; records an audit row."""
    with transaction.atomic():
        created = room.pk is None
        room.full_clean()
        room.save()
        record_audit(
            action="room.created" if created else "room.changed",
            congress=room.congress,
            actor=actor,
            target=room,
        )
    return room


def set_room_channels(*, room: Room, channels: Iterable[tuple[str, int]]) -> None:
    """Replace the room's interpretation channels with (language, channel number) pairs
    (sessions without channels of their own use these). The caller validates one language
    per channel number; the database refuses a number used twice."""
    with transaction.atomic():
        room.interpretation_channels.all().delete()
        InterpretationChannel.objects.bulk_create(
            InterpretationChannel(
                congress_id=room.congress_id, room=room, language=language, channel=channel
            )
            for language, channel in channels
        )
        bump_programme_version(congress_ids=[room.congress_id])  # bulk_create: no signal


def check_session_dates(
    *, congress: Congress, starts_at: datetime.datetime | None, ends_at: datetime.datetime | None
) -> None:
    """Refuse a start or end more than SESSION_DATE_MARGIN_DAYS from the congress's dates (in
    its time zone): the API serializer, the forms and save_session share this check.

    Raises SessionFarFromCongressDates naming the field ("starts_at" or "ends_at").
    """
    tz = congress.tzinfo
    margin = datetime.timedelta(days=SESSION_DATE_MARGIN_DAYS)
    earliest = datetime.datetime.combine(congress.starts_on, datetime.time.min, tz) - margin
    latest = datetime.datetime.combine(congress.ends_on, datetime.time.max, tz) + margin
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and not earliest <= value <= latest:
            raise SessionFarFromCongressDates(
                field=field,
                days=SESSION_DATE_MARGIN_DAYS,
                first=congress.starts_on.isoformat(),
                last=congress.ends_on.isoformat(),
            )


def _check_session(session: Session) -> None:
    if session.starts_at is None or session.ends_at is None or session.ends_at <= session.starts_at:
        raise InvalidSessionTimes()
    check_session_dates(
        congress=session.congress, starts_at=session.starts_at, ends_at=session.ends_at
    )
    if session.room_id is not None and session.room.congress_id != session.congress_id:
        raise SessionNotInCongress()
    if session.track_id is not None and session.track.congress_id != session.congress_id:
        raise SessionNotInCongress()


def _replace_speakers(session: Session, speakers: Iterable[tuple[Person, str]]) -> None:
    session.speakers.all().delete()
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, person=person, role=role, position=position)
        for position, (person, role) in enumerate(speakers)
    )


def _replace_channels(session: Session, channels: Iterable[tuple[str, int]]) -> None:
    session.interpretation_channels.all().delete()
    InterpretationChannel.objects.bulk_create(
        InterpretationChannel(
            congress_id=session.congress_id, session=session, language=language, channel=channel
        )
        for language, channel in channels
    )


def save_session(
    *,
    session: Session,
    speakers: Iterable[tuple[Person, str]] | None = None,
    channels: Iterable[tuple[str, int]] | None = None,
    actor: Actor = None,
) -> Session:
    """Create or change a session (and, when given, replace its speakers and moderators, and
    its own interpretation channels as (language, channel number) pairs; an empty list gives
    the session its room's channels again).

    Guarantees: the session ends after it starts and its room and track belong to its
    congress; a published session whose time, room or status changes is marked as changed
    (participants see it); when the capacity grows, people waiting are seated in FIFO order.
    Sends `sessions.signals.session_saved` after commit.
    Raises InvalidSessionTimes, SessionNotInCongress. Locks the session row when it exists.
    """
    _check_session(session)
    created = session.pk is None
    with transaction.atomic():
        if not created:
            before = Session.objects.select_for_update().get(pk=session.pk)
            changed = any(
                getattr(before, name) != getattr(session, name) for name in _VISIBLE_FIELDS
            )
            if before.is_published and changed:
                session.changed_after_publication_at = timezone.now()
        if session.is_published and session.published_at is None:
            session.published_at = timezone.now()
        session.save()
        if speakers is not None:
            _replace_speakers(session, speakers)
        if channels is not None:
            _replace_channels(session, channels)
        if not created and session.requires_signup:
            from sessions.services.signups import promote_from_waitlist

            promote_from_waitlist(session=session)
        record_audit(
            action="session.created" if created else "session.changed",
            congress=session.congress,
            actor=actor,
            target=session,
            detail={"status": session.status},
        )
        _send_session_saved(session, created=created)
    return session


def publish_programme(*, congress: Congress, actor: Actor = None) -> int:
    """Publish every draft session of the congress; returns how many were published.

    Sends `session_saved` for each after commit. Idempotent: a second call publishes nothing.
    """
    with transaction.atomic():
        drafts = list(
            Session.objects.select_for_update()
            .filter(congress=congress, status=Session.Status.DRAFT)
            .order_by("pk")
        )
        now = timezone.now()
        for session in drafts:
            session.status = Session.Status.PUBLISHED
            session.published_at = now
        Session.objects.bulk_update(drafts, ["status", "published_at"])
        bump_programme_version(congress_ids=[congress.pk])  # bulk_update sends no signal
        record_audit(
            action="programme.published",
            congress=congress,
            actor=actor,
            target=congress,
            detail={"sessions": len(drafts)},
        )
        for session in drafts:
            _send_session_saved(session, created=False)
    return len(drafts)


def unpublish_programme(*, congress: Congress, actor: Actor = None) -> int:
    """Take the programme off the public pages: every published session of the congress
    becomes a draft again; returns how many. Cancelled sessions stay cancelled, sign-ups are
    kept (they come back with the sessions when the programme is published again).

    Sends `session_saved` for each after commit. Idempotent: a second call changes nothing.
    Locks the published session rows.
    """
    with transaction.atomic():
        published = list(
            Session.objects.select_for_update()
            .filter(congress=congress, status=Session.Status.PUBLISHED)
            .order_by("pk")
        )
        for session in published:
            session.status = Session.Status.DRAFT
            session.published_at = None
        Session.objects.bulk_update(published, ["status", "published_at"])
        bump_programme_version(congress_ids=[congress.pk])  # bulk_update sends no signal
        record_audit(
            action="programme.unpublished",
            congress=congress,
            actor=actor,
            target=congress,
            detail={"sessions": len(published)},
        )
        for session in published:
            _send_session_saved(session, created=False)
    return len(published)


def schedule_session(
    *,
    session: Session,
    room: Room | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: Actor = None,
) -> Session:
    """Put a session in a room at a time (the timetable editor's drag and drop, its resize
    handle, or the session form), or take it out of its room (`room=None`: unscheduled).

    Goes through `save_session`: times and room checked (InvalidSessionTimes,
    SessionNotInCongress), an audit row, a published session marked as changed, waiting
    people seated when a bigger room frees seats, `session_saved` after commit (the badges'
    door checkpoint follows). Conflicts are not refused: the caller shows the warnings of
    `check_session` (a double booking is sometimes on purpose, such as a shared break).
    """
    if room is not None and room.congress_id != session.congress_id:
        raise SessionNotInCongress()
    session.room = room
    session.starts_at = starts_at
    session.ends_at = ends_at
    return save_session(session=session, actor=actor)


def delete_session(*, session: Session, actor: Actor = None) -> None:
    """Delete a session nobody signed up for (nor checks in at).

    Raises SessionHasSignups otherwise: such a session is cancelled, not deleted.
    """
    with transaction.atomic():
        session = _locked_with_congress(session)
        if session.signups.exists():
            raise SessionHasSignups()
        _delete_audited(session, action="session.deleted", actor=actor, refused=SessionHasSignups())


def _locked_with_congress(session: Session) -> Session:
    # Only the session row is locked; its congress comes in the same query for the audit row.
    return (
        Session.objects.select_related("congress")
        .select_for_update(of=("self",))
        .get(pk=session.pk)
    )


def _delete_audited(session: Session, *, action: str, actor: Actor, refused: Exception) -> None:
    """Delete a locked session with its audit row; raise `refused` (nothing changed) when
    another app's rows protect it (a check-in point once doors may scan for it)."""
    record_audit(action=action, congress=session.congress, actor=actor, target=session)
    try:
        with transaction.atomic():
            session.delete()
    except ProtectedError as error:
        raise refused from error


def create_draft_session(
    *,
    congress: Congress,
    track: Track | None,
    kind: str,
    title: str,
    description: str,
    language: str,
    speakers: Iterable[Person],
    actor: Actor = None,
) -> Session:
    """A new draft session with its speakers in the given order (each person once).

    It has no room and starts on the congress's first morning (09:00, 90 minutes) until an
    organiser schedules it; as a draft it is not public. Saved through save_session (checks,
    audit row, `session_saved` after commit). Raises SessionNotInCongress for a track of
    another congress.
    """
    starts_at = datetime.datetime.combine(
        congress.starts_on, DRAFT_STARTS_AT, tzinfo=congress.tzinfo
    )
    session = Session(
        congress=congress,
        track=track,
        kind=kind,
        status=Session.Status.DRAFT,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=starts_at + DRAFT_DURATION,
        floor_language=language,
    )
    people: dict[int, Person] = {}
    for person in speakers:
        people.setdefault(person.pk, person)
    return save_session(
        session=session,
        speakers=[(person, SessionSpeaker.Role.SPEAKER) for person in people.values()],
        actor=actor,
    )


def withdraw_draft_session(*, session: Session, actor: Actor = None) -> bool:
    """Take a session out of the programme because what it was made from is gone (a
    proposal that is no longer accepted). True when it was deleted, False when it is kept.

    - A draft nobody signed up for is deleted (its speakers with it); an audit row says so.
    - A cancelled session is kept as it is, so people who had signed up still see that it
      was cancelled.
    - A published session, or one that sign-ups or a check-in point depend on, is never removed
      behind the organiser's back: raises SessionNotWithdrawable and changes nothing.
    Locks the session row.
    """
    with transaction.atomic():
        session = _locked_with_congress(session)
        if session.status == Session.Status.CANCELLED:
            return False
        if session.status != Session.Status.DRAFT or session.signups.exists():
            raise SessionNotWithdrawable(session_id=session.pk)
        _delete_audited(
            session,
            action="session.withdrawn",
            actor=actor,
            refused=SessionNotWithdrawable(session_id=session.pk),
        )
    return True
