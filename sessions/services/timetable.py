"""The timetable check: precise warnings about conflicts in a congress's programme.

Read-only; organisers see the warnings in the timetable editor (as they drop a session), in
the admin and in the API.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from common.i18n import localized
from congress.models import Congress
from sessions.models import Session, SessionSpeaker
from sessions.queries import with_signup_counts


@dataclass(frozen=True)
class TimetableWarning:
    """One conflict. `code` is stable for API clients; `message` is translated."""

    code: str
    session_id: int
    message: str
    other_session_id: int | None = None

    ROOM_DOUBLE_BOOKED = "room_double_booked"
    SPEAKER_DOUBLE_BOOKED = "speaker_double_booked"
    OUTSIDE_CONGRESS_DATES = "outside_congress_dates"
    CAPACITY_ABOVE_ROOM = "capacity_above_room"

    def as_dict(self) -> dict:
        return asdict(self)

    def concerns(self, session_id: int) -> bool:
        return session_id in (self.session_id, self.other_session_id)


def _title(session: Session) -> str:
    return localized(session.title, session.title_translations)


def _span(congress: Congress, start: datetime.datetime, end: datetime.datetime) -> dict:
    tz = congress.tzinfo
    local_start = timezone.localtime(start, tz)
    return {
        "day": local_start.strftime("%Y-%m-%d"),
        "start": local_start.strftime("%H:%M"),
        "end": timezone.localtime(end, tz).strftime("%H:%M"),
    }


def _overlapping_pairs(sessions: list[Session]):
    """Yield (earlier, later) pairs that overlap in time; `sessions` sorted by start."""
    for index, first in enumerate(sessions):
        for second in sessions[index + 1 :]:
            if second.starts_at >= first.ends_at:
                break
            yield first, second


def _room_warnings(congress: Congress, sessions: list[Session]) -> list[TimetableWarning]:
    by_room = defaultdict(list)
    for session in sessions:
        if session.room_id is not None:
            by_room[session.room_id].append(session)
    warnings = []
    for room_sessions in by_room.values():
        for first, second in _overlapping_pairs(room_sessions):
            span = _span(congress, second.starts_at, min(first.ends_at, second.ends_at))
            message = gettext(
                "Room %(room)s is double-booked on %(day)s from %(start)s to %(end)s: "
                "“%(title)s” and “%(other)s”."
            ) % {"room": first.room.name, "title": _title(first), "other": _title(second), **span}
            warnings.append(
                TimetableWarning(TimetableWarning.ROOM_DOUBLE_BOOKED, first.pk, message, second.pk)
            )
    return warnings


def _speaker_warnings(congress: Congress, sessions: list[Session]) -> list[TimetableWarning]:
    by_person = defaultdict(dict)
    names = {}
    for session in sessions:
        for speaker in session.timetable_speakers:
            by_person[speaker.person_id][session.pk] = session
            names[speaker.person_id] = speaker.person.name
    warnings = []
    for person_id, person_sessions in by_person.items():
        ordered = sorted(person_sessions.values(), key=lambda item: (item.starts_at, item.pk))
        for first, second in _overlapping_pairs(ordered):
            span = _span(congress, second.starts_at, min(first.ends_at, second.ends_at))
            message = gettext(
                "%(person)s is in two places on %(day)s from %(start)s to %(end)s: "
                "“%(title)s” and “%(other)s”."
            ) % {
                "person": names[person_id],
                "title": _title(first),
                "other": _title(second),
                **span,
            }
            warnings.append(
                TimetableWarning(
                    TimetableWarning.SPEAKER_DOUBLE_BOOKED, first.pk, message, second.pk
                )
            )
    return warnings


def _session_warnings(congress: Congress, session: Session) -> list[TimetableWarning]:
    warnings = []
    tz = congress.tzinfo
    first_day = timezone.localtime(session.starts_at, tz).date()
    last_day = timezone.localtime(session.ends_at, tz).date()
    if first_day < congress.starts_on or last_day > congress.ends_on:
        message = gettext(
            "“%(title)s” (%(day)s) is outside the congress dates, %(first)s to %(last)s."
        ) % {
            "title": _title(session),
            "day": first_day.isoformat(),
            "first": congress.starts_on.isoformat(),
            "last": congress.ends_on.isoformat(),
        }
        warnings.append(
            TimetableWarning(TimetableWarning.OUTSIDE_CONGRESS_DATES, session.pk, message)
        )
    room = session.room
    if room is not None and session.capacity is not None and session.capacity > room.capacity:
        message = gettext(
            "“%(title)s” takes %(capacity)s people but room %(room)s holds only %(room_capacity)s."
        ) % {
            "title": _title(session),
            "capacity": session.capacity,
            "room": room.name,
            "room_capacity": room.capacity,
        }
        warnings.append(TimetableWarning(TimetableWarning.CAPACITY_ABOVE_ROOM, session.pk, message))
    elif room is not None and getattr(session, "seated_count", 0) > room.capacity:
        # Expected attendance: people already seated (a move to a smaller room).
        message = gettext(
            "“%(title)s” has %(count)s people signed up but room %(room)s holds only "
            "%(room_capacity)s."
        ) % {
            "title": _title(session),
            "count": session.seated_count,
            "room": room.name,
            "room_capacity": room.capacity,
        }
        warnings.append(TimetableWarning(TimetableWarning.CAPACITY_ABOVE_ROOM, session.pk, message))
    return warnings


def timetable_sessions(*, congress: Congress) -> list[Session]:
    """The sessions the check looks at: all but cancelled ones, with rooms, tracks, speakers
    and seat counts (`seated_count`, `waitlisted_count`)."""
    speakers = SessionSpeaker.objects.select_related("person").order_by("position", "id")
    return list(
        with_signup_counts(Session.objects.filter(congress=congress))
        .exclude(status=Session.Status.CANCELLED)
        .select_related("room", "track")
        .prefetch_related(Prefetch("speakers", queryset=speakers, to_attr="timetable_speakers"))
        .order_by("starts_at", "pk")
    )


def check_timetable(
    *, congress: Congress, sessions: list[Session] | None = None
) -> list[TimetableWarning]:
    """Every conflict in the congress's timetable (drafts and published, not cancelled).

    Checks: a room double-booked, a speaker or moderator in two places at once, a session
    outside the congress dates (in the congress's time zone), a capacity above the room's
    (the session's own capacity, else the people already seated in it).
    The one check behind the timetable editor, the timetable API and the admin.
    `sessions` may be passed when already loaded by `timetable_sessions`. Three queries.
    """
    if sessions is None:
        sessions = timetable_sessions(congress=congress)
    warnings = []
    for session in sessions:
        warnings.extend(_session_warnings(congress, session))
    warnings.extend(_room_warnings(congress, sessions))
    warnings.extend(_speaker_warnings(congress, sessions))
    return warnings


def check_session(*, session: Session) -> list[TimetableWarning]:
    """The conflicts that involve one session."""
    return [
        warning
        for warning in check_timetable(congress=session.congress)
        if warning.concerns(session.pk)
    ]
