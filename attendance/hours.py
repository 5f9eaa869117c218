"""Attended time from session check-ins: a pure computation, no database.

Rule (documented in docs/attendance.md):
- a check-in at a session door counts the session from its start to its end, clipped at the
  check-out time when one is known (a check-out before the start counts nothing);
- a person is in one room at a time: when attended sessions overlap, each instant goes to the
  session entered most recently among those in progress (latest start, then latest scan), so
  overlapping time is never counted twice, and time after a nested session ends goes back to
  the session still running.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Visit:
    """One session check-in of one person, with the session's times."""

    session_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    checked_in_at: datetime.datetime
    checked_out_at: datetime.datetime | None = None


def attended_seconds(visits: Iterable[Visit]) -> dict[int, int]:
    """Seconds attended per session id for one person (every visited session is a key)."""
    result: dict[int, int] = {}
    intervals = []
    for visit in visits:
        result.setdefault(visit.session_id, 0)
        end = visit.ends_at
        if visit.checked_out_at is not None and visit.checked_out_at < end:
            end = visit.checked_out_at
        intervals.append(
            (
                visit.starts_at.timestamp(),
                visit.checked_in_at.timestamp(),
                visit.session_id,
                end.timestamp(),
            )
        )
    return allocate_seconds(intervals, result)


def allocate_seconds(
    intervals: list[tuple[float, float, int, float]], result: dict[int, int]
) -> dict[int, int]:
    """The rule on plain numbers: (start, scan order, session id, end) in seconds.

    Adds to `result` (session id -> seconds) and returns it. Intervals with end <= start
    count nothing.
    """
    intervals = sorted(interval for interval in intervals if interval[3] > interval[0])
    if not intervals:
        return result
    if all(intervals[i][3] <= intervals[i + 1][0] for i in range(len(intervals) - 1)):
        # The usual case: no overlap, each session counts its own (clipped) duration.
        for start, _scan, session_id, end in intervals:
            result[session_id] = result.get(session_id, 0) + int(end - start)
        return result
    boundaries = sorted({point for start, _s, _i, end in intervals for point in (start, end)})
    active: list[tuple] = []
    next_index = 0
    for left, right in pairwise(boundaries):
        while next_index < len(intervals) and intervals[next_index][0] <= left:
            active.append(intervals[next_index])
            next_index += 1
        active = [interval for interval in active if interval[3] > left]
        if active:
            # Sorted by (start, scan order, id): the greatest was entered most recently.
            winner = max(active)
            result[winner[2]] = result.get(winner[2], 0) + int(right - left)
    return result
