"""Two tabs joining one session's stream at the same instant record one open visit (the
partial unique constraint `onlinevisit_one_open_per_session` decides), against PostgreSQL."""

import datetime
import threading

import pytest
from django.db import transaction

from attendance.models import OnlineVisit
from attendance.online import join_online_session
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory
from tests.races import race, without_constraint

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TABS = 6
JOINED = datetime.datetime(2027, 6, 15, 9, tzinfo=datetime.UTC)


def _remote_participant():
    congress = CongressFactory()
    registration = RegistrationFactory(
        congress=congress, category__congress=congress, category__is_online=True
    )
    session = SessionFactory(congress=congress, stream_url="https://stream.example.org/a")
    return registration, session


def test_join_online_session_from_tabs_at_once_records_one_open_visit():
    registration, session = _remote_participant()

    visits = race(
        TABS,
        lambda _barrier: (
            join_online_session(registration=registration, session_id=session.pk, now=JOINED)[0].pk
        ),
    )

    stored = list(OnlineVisit.objects.values_list("pk", flat=True))
    assert (len(stored), visits) == (1, stored * TABS)


def _join_without_constraint(registration, session, barrier: threading.Barrier) -> None:
    """The service's check-then-insert, every tab past the check before any inserts: the
    control experiment."""
    with transaction.atomic():
        is_open = OnlineVisit.objects.filter(
            registration=registration, session=session, left_at__isnull=True
        ).exists()
        barrier.wait(timeout=30)  # every tab has seen "no open visit" before any joins
        if not is_open:
            OnlineVisit.objects.create(
                congress_id=registration.congress_id,
                registration=registration,
                session=session,
                joined_at=JOINED,
            )


def test_control_without_the_constraint_tabs_at_once_record_several_open_visits():
    registration, session = _remote_participant()

    with without_constraint(OnlineVisit, "onlinevisit_one_open_per_session"):
        race(TABS, lambda barrier: _join_without_constraint(registration, session, barrier))
        open_visits = OnlineVisit.objects.filter(left_at__isnull=True).count()

    assert open_visits == TABS
