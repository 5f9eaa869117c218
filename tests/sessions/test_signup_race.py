"""Capacity under concurrency: 30 people race for 10 seats against PostgreSQL.

Every barrier has a time-out: a thread that cannot get a connection (the server's limit is
shared with the other test worker) breaks the race with an error instead of leaving the
others waiting for ever."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from sessions.models import SessionSignup
from sessions.services import sign_up_for_session
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 30
SEATS = 10


def _race(function, registrations) -> list:
    barrier = threading.Barrier(len(registrations))

    def run(registration):
        try:
            barrier.wait(timeout=30)
            return function(registration)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(registrations)) as pool:
        return list(pool.map(run, registrations))


def _setup():
    session = SessionFactory(requires_signup=True, capacity=SEATS)
    registrations = RegistrationFactory.create_batch(THREADS, congress=session.congress)
    return session, registrations


def test_sign_up_race_of_30_for_10_seats_seats_exactly_10():
    session, registrations = _setup()

    results = _race(
        lambda registration: sign_up_for_session(session=session, registration=registration),
        registrations,
    )

    states = [signup.state for signup in results]
    assert states.count(SessionSignup.State.SEATED) == SEATS
    assert states.count(SessionSignup.State.WAITLISTED) == THREADS - SEATS
    assert session.signups.filter(state=SessionSignup.State.SEATED).count() == SEATS


def _sign_up_without_lock(session, registration, barrier):
    """The same read-count-write, without select_for_update: the control experiment."""
    with transaction.atomic():
        seated = session.signups.filter(state=SessionSignup.State.SEATED).count()
        barrier.wait(timeout=30)  # everybody has counted before anybody writes
        state = SessionSignup.State.WAITLISTED if seated >= SEATS else SessionSignup.State.SEATED
        return SessionSignup.objects.create(session=session, registration=registration, state=state)


def test_sign_up_race_without_lock_overbooks_the_session():
    session, registrations = _setup()
    barrier = threading.Barrier(THREADS)

    _race(
        lambda registration: _sign_up_without_lock(session, registration, barrier),
        registrations,
    )

    assert session.signups.filter(state=SessionSignup.State.SEATED).count() == THREADS
