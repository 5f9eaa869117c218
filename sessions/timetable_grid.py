"""The timetable editor's grid: per day, rooms as columns and 15-minute rows, in the
congress's local time. Pure layout from already loaded sessions (no queries)."""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone

from congress.models import Congress
from sessions.models import Room, Session
from sessions.services.timetable import TimetableWarning

SLOT_MINUTES = 15
# A day shows at least 08:00 to 20:00, more when a session starts earlier or ends later.
DAY_FIRST_HOUR = 8
DAY_LAST_HOUR = 20


@dataclass
class GridSlot:
    row: int  # CSS grid row (row 1 holds the room names)
    starts_at: datetime.datetime  # aware, local
    is_hour: bool

    @property
    def local_value(self) -> str:
        """What the editor sends back for a drop here (a `LocalDateTimeField` value)."""
        return self.starts_at.strftime("%Y-%m-%dT%H:%M")


@dataclass
class GridItem:
    session: Session
    column: int  # CSS grid column (column 1 holds the times)
    row_start: int
    row_end: int
    duration_minutes: int
    warnings: list[TimetableWarning] = field(default_factory=list)


@dataclass
class GridDay:
    day: datetime.date
    slots: list[GridSlot]
    items: list[GridItem]
    is_congress_day: bool


@dataclass
class Timetable:
    rooms: list[Room]
    days: list[GridDay]
    unscheduled: list[GridItem]  # sessions without a room: accepted proposals to place
    warnings: list[TimetableWarning]


def _local(value: datetime.datetime, congress: Congress) -> datetime.datetime:
    return timezone.localtime(value, congress.tzinfo)


def _minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return max(1, round((end - start).total_seconds() / 60))


def _day_range(day: datetime.date, items: list[Session], congress: Congress) -> tuple[int, int]:
    """First and last hour shown for `day` (the last one exclusive)."""
    first, last = DAY_FIRST_HOUR, DAY_LAST_HOUR
    for session in items:
        start, end = _local(session.starts_at, congress), _local(session.ends_at, congress)
        first = min(first, start.hour)
        if end.date() > day:
            last = 24
        else:
            last = max(last, math.ceil(end.hour + end.minute / 60))
    return first, last


def _slots(day: datetime.date, first_hour: int, last_hour: int, congress: Congress):
    tz = congress.tzinfo
    start = datetime.datetime.combine(day, datetime.time(first_hour), tzinfo=tz)
    count = (last_hour - first_hour) * 60 // SLOT_MINUTES
    slots = []
    for index in range(count):
        # Wall-clock arithmetic: a slot is 15 local minutes, even across a DST change.
        moment = start + datetime.timedelta(minutes=index * SLOT_MINUTES)
        slots.append(GridSlot(row=index + 2, starts_at=moment, is_hour=moment.minute == 0))
    return slots


def _row_of(moment: datetime.datetime, day_start: datetime.datetime) -> float:
    minutes = (moment.replace(tzinfo=None) - day_start.replace(tzinfo=None)).total_seconds() / 60
    return minutes / SLOT_MINUTES


def build_timetable(
    *,
    congress: Congress,
    rooms: list[Room],
    sessions: list[Session],
    warnings: list[TimetableWarning],
) -> Timetable:
    """Lay out `sessions` (from `timetable_sessions`, sorted by start) on the grid.

    Every congress day has a grid, and so does any other day a session in a room falls on
    (it carries an "outside the congress dates" warning). A session runs from the row of its
    start to the row of its end, at least one row, cut at midnight.
    """
    by_session: dict[int, list[TimetableWarning]] = {}
    for warning in warnings:
        for session_id in {warning.session_id, warning.other_session_id} - {None}:
            by_session.setdefault(session_id, []).append(warning)
    columns = {room.pk: index + 2 for index, room in enumerate(rooms)}
    by_day: dict[datetime.date, list[Session]] = {}
    unscheduled = []
    for session in sessions:
        duration = _minutes(session.starts_at, session.ends_at)
        if session.room_id is None or session.room_id not in columns:
            unscheduled.append(GridItem(session, 0, 0, 0, duration, by_session.get(session.pk, [])))
            continue
        by_day.setdefault(_local(session.starts_at, congress).date(), []).append(session)
    congress_days = {
        congress.starts_on + datetime.timedelta(days=offset)
        for offset in range((congress.ends_on - congress.starts_on).days + 1)
    }
    days = []
    for day in sorted(congress_days | set(by_day)):
        day_sessions = by_day.get(day, [])
        first_hour, last_hour = _day_range(day, day_sessions, congress)
        slots = _slots(day, first_hour, last_hour, congress)
        day_start = slots[0].starts_at
        items = []
        for session in day_sessions:
            start_row = math.floor(_row_of(_local(session.starts_at, congress), day_start))
            end_row = math.ceil(_row_of(_local(session.ends_at, congress), day_start))
            end_row = min(max(end_row, start_row + 1), len(slots))
            items.append(
                GridItem(
                    session=session,
                    column=columns[session.room_id],
                    row_start=start_row + 2,
                    row_end=end_row + 2,
                    duration_minutes=_minutes(session.starts_at, session.ends_at),
                    warnings=by_session.get(session.pk, []),
                )
            )
        days.append(GridDay(day, slots, items, is_congress_day=day in congress_days))
    return Timetable(rooms=rooms, days=days, unscheduled=unscheduled, warnings=warnings)
