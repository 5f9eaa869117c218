"""The room-door rule on plain numbers (attendance.room_doors): which sessions a scan at a
room's door counts, and how exits clip them."""

import pytest

from attendance.room_doors import RoomScan, RoomTimetable, room_visits

HOUR = 3600
# Room 7: a long session A (1:00-5:00) with B (2:00-3:00) nested in it, then C at 10:00.
# Room 8: D (1:00-2:00).
TIMETABLE = RoomTimetable(
    {
        1: (7, 1 * HOUR, 5 * HOUR),
        2: (7, 2 * HOUR, 3 * HOUR),
        3: (7, 10 * HOUR, 11 * HOUR),
        4: (8, 1 * HOUR, 2 * HOUR),
        5: (None, 1 * HOUR, 2 * HOUR),  # no room: no door counts it
    }
)


@pytest.mark.parametrize(
    ("moment", "sessions"),
    [
        (0.4 * HOUR, []),  # more than 30 minutes before A
        (0.6 * HOUR, [1]),  # doors open 30 minutes before
        (1.5 * HOUR, [1]),
        (2.5 * HOUR, [1, 2]),  # both running: the overlap rule shares the time
        (4.5 * HOUR, [1]),
        (5 * HOUR, []),  # A has ended, C is far off
        (9.6 * HOUR, [3]),
    ],
)
def test_sessions_at_a_room_door(moment, sessions):
    assert TIMETABLE.sessions_at(7, moment) == sessions


def test_room_without_sessions_counts_nothing():
    assert TIMETABLE.sessions_at(99, 1.5 * HOUR) == []


def test_exit_clips_the_sessions_entered_in_that_room_only():
    scans = [
        RoomScan(registration_id=1, room_id=7, is_exit=False, at=1.1 * HOUR),
        RoomScan(registration_id=1, room_id=8, is_exit=False, at=1.2 * HOUR),
        RoomScan(registration_id=1, room_id=7, is_exit=True, at=1.5 * HOUR),
    ]

    assert room_visits(scans, TIMETABLE) == {1: {1: (0, 1.5 * HOUR), 4: (1, None)}}


def test_entering_again_counts_the_whole_session_again():
    scans = [
        RoomScan(registration_id=1, room_id=7, is_exit=False, at=1.1 * HOUR),
        RoomScan(registration_id=1, room_id=7, is_exit=True, at=1.5 * HOUR),
        RoomScan(registration_id=1, room_id=7, is_exit=False, at=1.7 * HOUR),
    ]

    assert room_visits(scans, TIMETABLE) == {1: {1: (0, None)}}


def test_exit_after_a_session_ended_leaves_it_whole():
    scans = [
        RoomScan(registration_id=1, room_id=8, is_exit=False, at=1.1 * HOUR),
        RoomScan(registration_id=1, room_id=8, is_exit=True, at=2.5 * HOUR),
    ]

    assert room_visits(scans, TIMETABLE) == {1: {4: (0, None)}}
