"""Sessions attended through room doors: a pure computation, no database.

Rule (documented in docs/attendance.md, "How hours are counted"):
- an entry scan at a room's door counts the session running in that room at the scan time,
  from its start to its end, as a session door's check-in does; a scan made before any
  session runs counts the next session of the room if it starts within
  `DOORS_OPEN_BEFORE` (people are let in before a plenary starts);
- an exit scan at the room's door clips the sessions of that room the person entered and
  that have not ended yet (an exit before the start counts nothing); entering again
  during the session counts it whole again, as at session doors.
"""

import bisect
import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass

# The room's door opens before its session starts: a scan this long before the start counts
# for the session about to begin (when no session is running in the room then).
DOORS_OPEN_BEFORE = datetime.timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class RoomScan:
    """One admitted scan at a room's door: entry (`is_exit` False) or exit, in seconds."""

    registration_id: int
    room_id: int
    is_exit: bool
    at: float


class RoomTimetable:
    """The sessions of each room, for "what runs in this room at this moment"."""

    def __init__(self, sessions: dict[int, tuple[int | None, float, float]]):
        """`sessions`: session id -> (room id, start, end) in seconds."""
        by_room: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
        for session_id, (room_id, start, end) in sessions.items():
            if room_id is not None:
                by_room[room_id].append((start, end, session_id))
        self._rooms = {room_id: sorted(rows) for room_id, rows in by_room.items()}
        self._starts = {room_id: [row[0] for row in rows] for room_id, rows in self._rooms.items()}
        # Per room, the latest end among the sessions started so far: the look-back for
        # running sessions stops where nothing earlier can still be running.
        self._latest_ends = {
            room_id: list(itertools.accumulate((row[1] for row in rows), max))
            for room_id, rows in self._rooms.items()
        }
        self.ends = {session_id: end for session_id, (_r, _s, end) in sessions.items()}

    def sessions_at(self, room_id: int, moment: float) -> list[int]:
        """The sessions running in the room at `moment`, or else the one starting soonest
        within DOORS_OPEN_BEFORE (several when they start together)."""
        rows = self._rooms.get(room_id, ())
        if not rows:
            return []
        starts = self._starts[room_id]
        started = bisect.bisect_right(starts, moment)
        latest_ends = self._latest_ends[room_id]
        running = []
        index = started - 1
        while index >= 0 and latest_ends[index] > moment:
            if rows[index][1] > moment:
                running.append(rows[index][2])
            index -= 1
        if running:
            return running[::-1]
        upcoming = rows[started:]
        if not upcoming or upcoming[0][0] - moment > DOORS_OPEN_BEFORE.total_seconds():
            return []
        first_start = upcoming[0][0]
        return [session_id for start, _end, session_id in upcoming if start == first_start]


def room_visits(
    scans: list[RoomScan], timetable: RoomTimetable
) -> dict[int, dict[int, tuple[int, float | None]]]:
    """registration id -> session id -> (order of the first entry scan, check-out or None).

    `scans` in scan order; the order is the scan's index there (for the overlap rule's
    "entered most recently").
    """
    visits: dict[int, dict[int, list]] = defaultdict(dict)
    rooms: dict[tuple[int, int], set[int]] = defaultdict(set)  # (person, room) -> sessions
    for order, scan in enumerate(scans):
        person = visits[scan.registration_id]
        entered = rooms[(scan.registration_id, scan.room_id)]
        if scan.is_exit:
            for session_id in entered:
                visit = person[session_id]
                if visit[1] is None and timetable.ends[session_id] > scan.at:
                    visit[1] = scan.at
            continue
        for session_id in timetable.sessions_at(scan.room_id, scan.at):
            if session_id in person:
                person[session_id][1] = None  # back in the room: the whole session again
            else:
                person[session_id] = [order, None]
                entered.add(session_id)
    return {
        registration_id: {session_id: (visit[0], visit[1]) for session_id, visit in person.items()}
        for registration_id, person in visits.items()
        if person
    }
