"""Races for real: threads against PostgreSQL (skipped with a reason on SQLite)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone

from common.exceptions import DomainError
from common.prepared import PreparedQuery
from members.models import Person
from registrations import queries, services
from registrations.models import Registration, RegistrationCategory, Voucher
from registrations.services import registration as registration_service
from tests.factories.congress import CongressFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Registration.Status
WORKERS = 40  # PostgreSQL connections in use at once; the server is shared


def _race(count: int, work, *, offset: int = 0) -> list:
    """Run `work(index)` for `count` indexes on WORKERS threads; the first wave starts
    together at a barrier so the race is real."""
    barrier = threading.Barrier(min(count, WORKERS))

    def run(index: int):
        try:
            if index < offset + WORKERS:
                barrier.wait(timeout=30)
            return work(index)
        except DomainError as error:
            return error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, range(offset, offset + count)))


def _details(index: int) -> services.RegistrantDetails:
    return services.RegistrantDetails(email=f"racer{index}@example.org", name=f"Racer {index}")


def _register(congress, category):
    def work(index: int) -> str:
        return services.register_participant(
            congress=congress, category=category, details=_details(index), send_email=False
        ).registration.status

    return work


def _prefill(congress, category, count: int) -> None:
    """Registrations made one after the other before the race, so that the race's first
    wave straddles the capacity boundary (20 + 40 > 50)."""
    for index in range(count):
        _register(congress, category)(index)


def _out_of_date(category):
    """The category as a registrant read it before an organiser changed it (its badge
    colour): the seat the database would decide is refused, so every registration is
    decided under the lock instead (queries.is_seat_guard)."""
    read = type(category).objects.get(pk=category.pk)
    category.colour = "#000000"
    category.save()
    return read


@pytest.mark.parametrize("decided", ["by the database", "under the lock"])
def test_register_participant_200_registrations_for_50_places_never_oversell(decided):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    FeeRuleFactory(category=category, amount_minor=1000)
    _prefill(congress, category, 20)
    if decided == "under the lock":
        category = _out_of_date(category)

    results = _race(180, _register(congress, category), offset=20)

    statuses = list(Registration.objects.filter(category=category).values_list("status", flat=True))
    assert len(statuses) == 200
    assert sorted(set(results)) == [S.PENDING_PAYMENT, S.WAITLISTED]
    assert statuses.count(S.PENDING_PAYMENT) == 50
    assert statuses.count(S.WAITLISTED) == 150


def test_register_participant_without_the_lock_exceeds_capacity(monkeypatch):
    """Control: the same race with the row locks removed oversells, proving the test bites
    (decided under the lock)."""
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    _prefill(congress, category, 20)
    category = _out_of_date(category)
    monkeypatch.setattr(
        registration_service, "lock_category", lambda category, shared=False: category
    )

    def count_without_lock(category, *, now, shared=False):
        counts = queries.seat_counts(category=category, now=now)
        connection.cursor().execute("SELECT pg_sleep(0.02)")
        return category, counts, None

    monkeypatch.setattr(registration_service, "lock_category_and_count", count_without_lock)

    _race(180, _register(congress, category), offset=20)

    confirmed = Registration.objects.filter(category=category, status=S.CONFIRMED).count()
    assert confirmed > 50


def test_the_seat_decided_by_the_database_without_the_lock_exceeds_capacity(monkeypatch):
    """Control: the seat decided by the database (the lock and the INSERT sent with the
    COMMIT) oversells once the lock statement locks nothing, proving the test bites."""
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    _prefill(congress, category, 20)
    monkeypatch.setattr(
        queries,
        "_lock_for_the_insert",
        PreparedQuery(
            lambda category_id: (
                RegistrationCategory.objects.filter(pk=category_id).order_by().values_list("pk")
            ),
            category_id=-1,
        ),
    )
    compiled = queries._seat_counts.compiled

    def count_then_wait(connection, **values):
        sql, params = compiled(connection, **values)
        waiting = f"SELECT counted.* FROM ({sql}) counted CROSS JOIN pg_sleep(0.02)"  # noqa: S608
        return waiting, params

    monkeypatch.setattr(queries._seat_counts, "compiled", count_then_wait)

    _race(180, _register(congress, category), offset=20)

    confirmed = Registration.objects.filter(category=category, status=S.CONFIRMED).count()
    assert confirmed > 50


def test_voucher_usage_limit_holds_under_concurrency():
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=1000)
    VoucherFactory(congress=congress, code="TEN", usage_limit=10)

    def work(index: int) -> str:
        return services.register_participant(
            congress=congress,
            category=category,
            details=_details(index),
            voucher_code="TEN",
            send_email=False,
        ).registration.status

    results = _race(60, work)

    assert results.count(S.CONFIRMED) == 10
    assert results.count("voucher_exhausted") == 50
    assert Voucher.objects.get(code="TEN").times_used == 10
    assert Registration.objects.filter(category=category).count() == 10


def test_same_email_registering_concurrently_gives_one_registration():
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)

    def work(index: int) -> str:
        email = "SAME@example.org" if index % 2 else "same@example.org"
        return services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(email=email, name="Same"),
            send_email=False,
        ).registration.status

    results = _race(20, work)

    assert results.count(S.CONFIRMED) == 1
    assert results.count("already_registered") == 19
    assert Registration.objects.filter(congress=congress).count() == 1


def _register_same_new_email(categories):
    """Threads registering one new address (in two spellings) in each of `categories`."""

    def work(index: int) -> str:
        category = categories[index % len(categories)]
        email = "NEW.PERSON@example.org" if index % 4 < 2 else "new.person@example.org"
        return services.register_participant(
            congress=category.congress,
            category=category,
            details=services.RegistrantDetails(email=email, name="New Person"),
            send_email=False,
        ).registration.status

    return work


def test_register_participant_same_new_email_in_two_congresses_creates_one_person():
    categories = [RegistrationCategoryFactory(congress=CongressFactory()) for _index in range(2)]

    results = _race(20, _register_same_new_email(categories))

    assert sorted(results) == ["already_registered"] * 18 + [S.CONFIRMED] * 2
    people = Person.objects.filter(email__iexact="new.person@example.org")
    assert people.count() == 1
    assert sorted(
        Registration.objects.filter(person__in=people).values_list("congress_id", flat=True)
    ) == sorted(category.congress_id for category in categories)


def test_register_participant_without_the_email_lock_creates_the_person_twice(monkeypatch):
    """Control: the same race with the e-mail lock removed (and a pause between looking the
    person up and creating them) creates the same new person more than once."""
    from registrations.services import persons

    categories = [RegistrationCategoryFactory(congress=CongressFactory()) for _index in range(2)]
    monkeypatch.setattr(persons, "lock_email", lambda email: None)
    original = queries.person_by_email

    def slow_person_by_email(*, email):
        person = original(email=email)
        connection.cursor().execute("SELECT pg_sleep(0.02)")
        return person

    monkeypatch.setattr(queries, "person_by_email", slow_person_by_email)
    register = _register_same_new_email(categories)

    def work(index: int) -> str:
        # Without the lock, two threads may also find the same person and both try to
        # register them: the database's one-registration rule refuses the second.
        try:
            return register(index)
        except IntegrityError:
            return "refused by the database"

    _race(20, work)

    assert Person.objects.filter(email__iexact="new.person@example.org").count() > 1


def _invoice_each(registrations):
    from registrations.services.invoices import issue_invoice

    def work(index: int) -> int:
        return issue_invoice(registration=registrations[index]).number

    return work


def _owing(count: int):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)
    registrations = [
        RegistrationFactory(
            congress=congress,
            category=category,
            status=S.PENDING_PAYMENT,
            amount_due_minor=1000,
        )
        for _index in range(count)
    ]
    return congress, registrations


def test_issue_invoice_numbers_have_no_gap_and_no_duplicate_under_concurrency():
    from registrations.models import Invoice

    congress, registrations = _owing(60)

    results = _race(60, _invoice_each(registrations))

    numbers = sorted(Invoice.objects.filter(congress=congress).values_list("number", flat=True))
    assert numbers == list(range(1, 61))
    assert sorted(results) == list(range(1, 61))


def test_issue_invoice_without_the_lock_duplicates_numbers(monkeypatch):
    """Control: the same race reading the sequence without the row lock loses updates (two
    invoices want the same number; the unique constraint refuses the second)."""
    from django.db import IntegrityError

    from registrations.models import Invoice, InvoiceSequence
    from registrations.services import invoices as invoice_service

    congress, registrations = _owing(60)

    def unlocked(congress):
        sequence, _created = InvoiceSequence.objects.get_or_create(congress=congress)
        connection.cursor().execute("SELECT pg_sleep(0.02)")
        return sequence

    monkeypatch.setattr(invoice_service, "lock_sequence", unlocked)

    def work(index: int):
        try:
            return _invoice_each(registrations)(index)
        except IntegrityError:
            return "duplicate_number"

    results = _race(60, work)

    assert results.count("duplicate_number") > 0
    assert Invoice.objects.filter(congress=congress).count() < 60


def _delegation(size: int):
    from tests.factories.members import OrganisationFactory

    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=50)
    FeeRuleFactory(category=category, amount_minor=10000)
    return services.register_group(
        congress=congress,
        category=category,
        organisation=OrganisationFactory(),
        contact=services.RegistrantDetails(email="head@example.org", name="Head"),
        delegates=[
            services.RegistrantDetails(email=f"d{n}@example.org", name=f"D{n}", country="FR")
            for n in range(size)
        ],
        payment_method="transfer",
        send_email=False,
    )


def _pay_delegation_concurrently(result, payers: int) -> list[int]:
    """`payers` threads each record the delegation's whole payment (a bank import and an
    organiser's "mark paid" at once, say); returns the pk of each confirmation signalled."""
    from registrations.signals import registration_confirmed

    confirmed: list[int] = []
    lock = threading.Lock()

    def receiver(sender, registration, **kwargs):
        with lock:
            confirmed.append(registration.pk)

    registration_confirmed.connect(receiver, dispatch_uid="race-delegation")
    try:

        def work(index: int) -> str:
            services.record_payment(
                group=result.group, amount_minor=50000, currency="EUR", method="transfer"
            )
            return "paid"

        _race(payers, work)
    finally:
        registration_confirmed.disconnect(dispatch_uid="race-delegation")
    return confirmed


def test_delegation_payment_confirms_every_delegate_exactly_once():
    result = _delegation(5)

    confirmed = _pay_delegation_concurrently(result, payers=8)

    delegates = sorted(item.registration.pk for item in result.outcomes)
    assert sorted(confirmed) == delegates
    assert (
        list(
            Registration.objects.filter(group=result.group)
            .order_by("pk")
            .values_list("status", flat=True)
        )
        == [S.CONFIRMED] * 5
    )
    paid = Registration.objects.filter(group=result.group).values_list(
        "amount_paid_minor", flat=True
    )
    assert sum(paid) == 8 * 50000  # every payment is kept (the surplus shows as over-paid)


def test_delegation_payment_without_the_locks_confirms_delegates_twice(monkeypatch):
    """Control: the same race with the row locks removed confirms delegates more than once."""
    from registrations.services import payments

    result = _delegation(5)

    def unlocked_payers(*, registration, group):
        connection.cursor().execute("SELECT pg_sleep(0.05)")
        return list(group.registrations.select_related("category").order_by("pk"))

    monkeypatch.setattr(payments, "_lock_payers", unlocked_payers)

    confirmed = _pay_delegation_concurrently(result, payers=8)

    assert len(confirmed) > 5


def _hold_open_registration(congress, category, started: threading.Event, release):
    """In a thread: register inside a transaction left open until `release` is set."""
    from django.db import transaction

    def run() -> None:
        try:
            with transaction.atomic():
                services.register_participant(
                    congress=congress, category=category, details=_details(0), send_email=False
                )
                started.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _register_with_lock_timeout(congress, category, index: int) -> str:
    """Register on this thread's own connection, giving up after 1 s of waiting for a lock."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        return services.register_participant(
            congress=congress, category=category, details=_details(index), send_email=False
        ).registration.status
    except OperationalError as error:  # the lock timeout
        return type(error).__name__
    finally:
        connections.close_all()


@pytest.mark.parametrize(
    ("capacity", "second"),
    [
        # Nothing to count: the share lock lets the second registration through at once.
        (None, S.PENDING_PAYMENT),
        # Control: a capacity is counted under the exclusive lock, so the second waits.
        (50, "OperationalError"),
    ],
)
def test_a_category_without_capacity_does_not_serialise_its_registrations(capacity, second):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=capacity)
    FeeRuleFactory(category=category, amount_minor=1000)
    queries.settings_for(congress=congress)  # made now, not by the first registration
    started, release = threading.Event(), threading.Event()
    holder = _hold_open_registration(congress, category, started, release)
    try:
        assert started.wait(timeout=30)
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(_register_with_lock_timeout, congress, category, 1).result()
    finally:
        release.set()
        holder.join(timeout=30)

    assert result == second
    assert Registration.objects.filter(category=category).count() == (
        2 if second == S.PENDING_PAYMENT else 1
    )


def test_a_capacity_set_while_registering_is_counted_not_oversold():
    """The registrant read the category without a capacity (a page open, the cached
    configuration); the organiser set a capacity of 1, already taken, before the lock."""
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=None)
    stale = type(category).objects.get(pk=category.pk)
    RegistrationFactory(congress=congress, category=category, status=S.CONFIRMED)
    category.capacity = 1
    category.save()

    results = _race(10, _register(congress, stale), offset=1)

    assert results == [S.WAITLISTED] * 10
    assert Registration.objects.filter(category=category, status=S.CONFIRMED).count() == 1


def test_the_seat_count_sent_with_the_lock_counts_what_the_holder_before_committed():
    """The lock and the count go in one round trip: the count must still run after the lock
    is granted, on a snapshot that sees the seat the lock's previous holder took."""
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=1)
    locked, release = threading.Event(), threading.Event()

    def take_the_last_seat() -> None:
        try:
            with transaction.atomic():
                registration_service.lock_category(category)
                RegistrationFactory(congress=congress, category=category, status=S.CONFIRMED)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def count_under_the_lock():
        try:
            with transaction.atomic():
                _locked, counts, _key = registration_service.lock_category_and_count(
                    category, now=timezone.now()
                )
            return counts
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(take_the_last_seat)
        assert locked.wait(timeout=30)
        counted = pool.submit(count_under_the_lock)
        with pytest.raises(FutureTimeout):  # it waits for the lock
            counted.result(timeout=0.5)
        release.set()
        holder.result(timeout=30)
        counts = counted.result(timeout=30)

    assert counts == queries.SeatCounts(taken=1, waiting=0, expired=0)


def test_a_lock_time_out_in_the_round_trip_is_djangos_operational_error():
    """The API answers 503 "try again" for Django's OperationalError (common.database): the
    lock and count sent together must raise it, not psycopg's own exception."""
    category = RegistrationCategoryFactory(capacity=10)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                registration_service.lock_category(category)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def count_with_a_lock_timeout() -> str:
        try:
            with transaction.atomic():
                connection.cursor().execute("SET LOCAL lock_timeout = '200ms'")
                registration_service.lock_category_and_count(category, now=timezone.now())
            return "counted"
        except OperationalError as error:
            return f"{type(error).__module__}.{type(error).__name__}"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(hold_the_lock)
        assert locked.wait(timeout=30)
        outcome = pool.submit(count_with_a_lock_timeout).result(timeout=30)
        release.set()
        holder.result(timeout=30)

    assert outcome == "django.db.utils.OperationalError"
