"""Races for real: threads against PostgreSQL (skipped with a reason on SQLite)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from congress.exceptions import DomainError
from registrations import services
from registrations.models import Registration, Voucher
from registrations.services import registration as registration_service
from tests.factories.congress import CongressFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Registration.Status


def _race(count: int, work) -> list:
    barrier = threading.Barrier(min(count, 50))
    results = []

    def run(index: int):
        try:
            if index < 50:
                barrier.wait(timeout=30)
            return work(index)
        except DomainError as error:
            return error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(run, range(count)))
    return results


def _details(index: int) -> services.RegistrantDetails:
    return services.RegistrantDetails(email=f"racer{index}@example.org", name=f"Racer {index}")


def test_register_participant_200_threads_for_50_places_never_exceeds_capacity():
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    FeeRuleFactory(category=category, amount_minor=1000)

    results = _race(
        200,
        lambda index: (
            services.register_participant(
                congress=congress, category=category, details=_details(index), send_email=False
            ).registration.status
        ),
    )

    statuses = list(Registration.objects.filter(category=category).values_list("status", flat=True))
    assert len(statuses) == 200
    assert sorted(set(results)) == [S.PENDING_PAYMENT, S.WAITLISTED]
    assert statuses.count(S.PENDING_PAYMENT) == 50
    assert statuses.count(S.WAITLISTED) == 150


def test_register_participant_without_the_lock_exceeds_capacity(monkeypatch):
    """Control: the same race with the row lock removed oversells, proving the test bites."""
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    monkeypatch.setattr(registration_service, "lock_category", lambda category: category)
    original = registration_service._has_seat

    def slow_has_seat(category, now, needed=1):
        seat = original(category, now, needed)
        connection.cursor().execute("SELECT pg_sleep(0.01)")
        return seat

    monkeypatch.setattr(registration_service, "_has_seat", slow_has_seat)

    _race(
        200,
        lambda index: (
            services.register_participant(
                congress=congress, category=category, details=_details(index), send_email=False
            ).registration.status
        ),
    )

    confirmed = Registration.objects.filter(category=category, status=S.CONFIRMED).count()
    assert confirmed > 50


def test_voucher_usage_limit_holds_under_concurrency():
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=1000)
    VoucherFactory(congress=congress, code="TEN", usage_limit=10)

    results = _race(
        60,
        lambda index: (
            services.register_participant(
                congress=congress,
                category=category,
                details=_details(index),
                voucher_code="TEN",
                send_email=False,
            ).registration.status
        ),
    )

    assert results.count(S.CONFIRMED) == 10
    assert results.count("voucher_exhausted") == 50
    assert Voucher.objects.get(code="TEN").times_used == 10
    assert Registration.objects.filter(category=category).count() == 10


def test_same_email_registering_concurrently_gives_one_registration():
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)

    results = _race(
        20,
        lambda index: (
            services.register_participant(
                congress=congress,
                category=category,
                details=services.RegistrantDetails(
                    email="SAME@example.org" if index % 2 else "same@example.org", name="Same"
                ),
                send_email=False,
            ).registration.status
        ),
    )

    assert results.count(S.CONFIRMED) == 1
    assert results.count("already_registered") == 19
    assert Registration.objects.filter(congress=congress).count() == 1
