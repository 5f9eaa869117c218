"""Layout of the timetable editor's grid (rows of 15 local minutes, rooms as columns)."""

import datetime

import pytest

from sessions.timetable_grid import build_timetable
from tests.factories.sessions import RoomFactory, SessionFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


def test_grid_widens_the_day_for_an_early_start_and_cuts_a_session_at_midnight(congress):
    room = RoomFactory(congress=congress)
    early = SessionFactory(congress=congress, room=room, starts_at=at(15, 7), ends_at=at(15, 8))
    late = SessionFactory(congress=congress, room=room, starts_at=at(16, 22), ends_at=at(17, 1))

    timetable = build_timetable(
        congress=congress, rooms=[room], sessions=[early, late], warnings=[]
    )

    first, second, _third = timetable.days
    assert (first.slots[0].local_value, len(first.slots)) == ("2027-06-15T07:00", 52)
    assert (second.slots[0].local_value, second.slots[-1].local_value) == (
        "2027-06-16T08:00",
        "2027-06-16T23:45",
    )
    item = second.items[0]
    assert (item.row_start, item.row_end, item.duration_minutes) == (58, 66, 180)


def test_grid_puts_a_session_of_a_room_not_shown_among_the_sessions_to_place(congress):
    room = RoomFactory(congress=congress)
    session = SessionFactory(congress=congress, room=room)

    timetable = build_timetable(congress=congress, rooms=[], sessions=[session], warnings=[])

    assert [item.session for item in timetable.unscheduled] == [session]


def test_grid_day_outside_congress_dates_is_marked(congress):
    room = RoomFactory(congress=congress)
    session = SessionFactory(
        congress=congress,
        room=room,
        starts_at=datetime.datetime(2027, 6, 18, 7, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 6, 18, 8, tzinfo=datetime.UTC),
    )

    timetable = build_timetable(congress=congress, rooms=[room], sessions=[session], warnings=[])

    assert [(day.day.isoformat(), day.is_congress_day) for day in timetable.days] == [
        ("2027-06-15", True),
        ("2027-06-16", True),
        ("2027-06-17", True),
        ("2027-06-18", False),
    ]
