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
        if end > visit.starts_at:
            intervals.append((visit.starts_at, visit.checked_in_at, visit.session_id, end))
    if not intervals:
        return result
    intervals.sort()
    if all(intervals[i][3] <= intervals[i + 1][0] for i in range(len(intervals) - 1)):
        # The usual case: no overlap, each session counts its own (clipped) duration.
        for start, _scan, session_id, end in intervals:
            result[session_id] += int((end - start).total_seconds())
        return result
    return _sweep(intervals, result)


def _sweep(intervals: list[tuple], result: dict[int, int]) -> dict[int, int]:
    boundaries = sorted({point for start, _s, _i, end in intervals for point in (start, end)})
    active: list[tuple] = []
    next_index = 0
    for left, right in pairwise(boundaries):
        while next_index < len(intervals) and intervals[next_index][0] <= left:
            active.append(intervals[next_index])
            next_index += 1
        active = [interval for interval in active if interval[3] > left]
        if active:
            # `intervals` is sorted by (start, scan time, id): the last active one was
            # entered most recently.
            winner = max(active)
            result[winner[2]] += int((right - left).total_seconds())
    return result
