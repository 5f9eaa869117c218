"""The WSGI application of bench_registration_rush.py's server, with a timer on the lock
(not a benchmark module).

`registrations.services.registration.lock_category` is the capacity lock that
`register_participant` takes, before and after issue 17's work alike (since then through
`lock_category_and_count`, which sends the seat count with the lock in one round trip;
both are timed the same way). It is wrapped here
(in the benchmark's server only) to time how long the lock is held: from the moment the
`SELECT ... FOR UPDATE` returned (the lock is granted) to the moment psycopg has the
COMMIT's answer (psycopg's `Connection.commit` is wrapped to note it; an on-commit callback
registered with the lock writes the hold down).
The wait for the lock is not counted. Where the lock's answer brings the registration's key
(since issue 17), the benchmark also asks the database when the transaction committed: from
the lock's answer seen in Python to that commit is a lower bound of the hold by the
database's clock (the lock was granted before Python saw it).

Since the seat is decided by the database (the lock and the INSERT sent with the COMMIT, no
reply in between: `queries.send_registration_deciding_seat`), Python never sees the lock
granted. Such a hold ("database") starts when the server read the INSERT, right after the
lock statement finished (the INSERT's `statement_timestamp()`), and is written down twice:
to the moment psycopg has the COMMIT's answer (on the machine's wall clock: an upper bound,
counting the reply's way back to Python, which the timer above does not count at its start),
and, by the benchmark, to the transaction's commit time that the database records
(`pg_xact_commit_timestamp`, with `track_commit_timestamp` on): the hold by the database's
own clock, without the WAL flush that follows.

Each hold is appended, with its mode ("exclusive": the capacity lock; "shared": a category
without a capacity, whose registrations do not wait for each other) and in milliseconds,
to the file named by BENCH_LOCK_LOG (one line per hold; small O_APPEND writes from several
workers do not interleave).
"""

import os
import threading
import time

import psycopg
from django.db import transaction

from config.wsgi import application
from registrations import queries
from registrations.services import registration as registration_service

LOG = os.environ["BENCH_LOCK_LOG"]
_lock_category = registration_service.lock_category
_committed = threading.local()
_commit = psycopg.Connection.commit


def _timed_commit(self):
    # The end of a hold: the moment psycopg has the COMMIT's answer (the lock is released),
    # before anything Django or the code runs after it.
    try:
        return _commit(self)
    finally:
        _committed.at = time.perf_counter()
        _committed.wall = time.time()


psycopg.Connection.commit = _timed_commit


def _record(started: float, mode: str, seat: str) -> None:
    held = (getattr(_committed, "at", None) or time.perf_counter()) - started
    _append(f"{mode} {held * 1000:.3f}{seat}")
    _committed.at = None


def _append(line: str) -> None:
    descriptor = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, f"{line}\n".encode())
    finally:
        os.close(descriptor)


def _timed(lock):
    """`lock` wrapped to time its hold: from its answer to the COMMIT's. "exclusive": the
    capacity lock, which serialises; "shared": a category without a capacity (issue 17),
    whose registrations do not wait for each other."""

    def timed(*args, **kwargs):
        locked = lock(*args, **kwargs)
        started, seen = time.perf_counter(), time.time()
        mode = "shared" if kwargs.get("shared") else "exclusive"
        # Where the registration's key is known with the lock (lock_category_and_count since
        # issue 17), it and when Python saw the lock, for the benchmark to ask the database
        # when the transaction committed.
        key = locked[2] if isinstance(locked, tuple) and len(locked) == 3 else None
        seat = f" {key} {seen:.6f}" if isinstance(key, int) else ""
        transaction.on_commit(lambda: _record(started, mode, seat))
        return locked

    return timed


registration_service.lock_category = _timed(_lock_category)
# Since issue 17 the registering transaction locks through lock_category_and_count (the
# lock and the seat count in one round trip); the code before has no such function.
if hasattr(registration_service, "lock_category_and_count"):
    registration_service.lock_category_and_count = _timed(
        registration_service.lock_category_and_count
    )

if hasattr(queries, "send_registration_deciding_seat"):
    _send = queries.send_registration_deciding_seat

    def _send_timed(pipeline, *, then, **kwargs):
        """A seat decided by the database: "database", the hold counted to the moment
        psycopg has the COMMIT's answer, the registration's key and when the lock was
        granted (seconds since the epoch), for the benchmark to ask the database when the
        transaction committed."""

        def answered(key, status, locked_at):
            held = _committed.wall - locked_at.timestamp()
            _append(f"database {held * 1000:.3f} {key} {locked_at.timestamp():.6f}")
            return then(key, status, locked_at)

        return _send(pipeline, then=answered, **kwargs)

    queries.send_registration_deciding_seat = _send_timed

__all__ = ["application"]
