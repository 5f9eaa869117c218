"""The registration whose seat the database decides, with the category's lock and the
INSERT sent with the COMMIT (services.registration._register_deciding_in_the_database):
same outcome as the registration decided under the lock, and any change of the category
since it was read sends it back there. PostgreSQL only (skipped with a reason on SQLite)."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from members.models import Person
from registrations import services
from registrations.exceptions import CategoryNotAvailable, RegistrationClosed
from registrations.models import Registration, RegistrationCategory, RegistrationSettings
from registrations.signals import registration_confirmed
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Registration.Status
NOW = datetime.datetime(2026, 12, 6, 15, 0, tzinfo=datetime.UTC)
DECIDED = (
    "status",
    "hold_expires_at",
    "confirmed_at",
    "waitlisted_at",
    "offer_expires_at",
    "payment_method",
    "amount_due_minor",
    "currency",
)


def _summary(sql: str) -> str:
    """The verb and the table of a statement, and how an INSERT gets its values."""
    verb = sql.split(" ")[0]
    named = sql.split(" FROM ", 1)[1] if verb == "SELECT" else sql
    table = named.split('"')[1] if '"' in named else ""
    if verb == "INSERT":
        verb += " SELECT" if ") SELECT " in sql else " VALUES"
    return f"{verb} {table}".strip()


def _register(category, email: str, **options) -> Registration:
    return services.register_participant(
        congress=category.congress,
        category=category,
        details=services.RegistrantDetails(email=email, name=email.split("@")[0]),
        now=NOW,
        send_email=False,
        **options,
    ).registration


def _decided(registration: Registration) -> tuple:
    return tuple(getattr(registration, name) for name in DECIDED)


def _category(*, capacity: int = 2, fee: int = 1000, **fields) -> RegistrationCategory:
    """A category whose every kind of column holds a value (text, translations, dates,
    numbers), as an organiser's would: the guard compares them all."""
    category = RegistrationCategoryFactory(
        capacity=capacity,
        name_translations={"fr": "Participant·e", "ar": "مشارك"},
        opens_at=NOW - datetime.timedelta(days=30, microseconds=1),
        closes_at=NOW + datetime.timedelta(days=30, microseconds=7),
        colour="#aa0011",
        position=3,
        **fields,
    )
    if fee:
        FeeRuleFactory(category=category, amount_minor=fee)
    RegistrationSettings.objects.create(congress=category.congress, transfer_hold_days=3)
    return category


def test_the_lock_and_the_insert_deciding_the_seat_are_the_last_statements():
    category = _category()

    with CaptureQueriesContext(connection) as captured:
        registration = _register(category, "first@example.org")

    statements = [query["sql"] for query in captured.captured_queries]
    locked = next(i for i, sql in enumerate(statements) if sql.endswith("FOR NO KEY UPDATE"))
    committed = statements.index("COMMIT")
    assert [_summary(sql) for sql in statements[locked : committed + 1]] == [
        "SELECT registrations_registrationcategory",
        "INSERT SELECT registrations_registration",
        "COMMIT",
    ]
    saved = Registration.objects.get()
    assert saved.pk == registration.pk
    assert _decided(saved) == _decided(registration)
    assert _decided(saved) == (
        S.PENDING_PAYMENT,
        NOW + datetime.timedelta(days=3),
        None,
        None,
        None,
        Registration.PaymentMethod.TRANSFER,
        1000,
        "EUR",
    )


def _same_outcome_both_ways(prepare, *, email: str = "new@example.org", **category_fields):
    """Register in a fresh category prepared by `prepare`, once decided by the database and
    once under the lock (inside a larger transaction, which has no COMMIT to send it with);
    the rows' decided fields, for both."""
    outcomes = []
    for in_the_database in (True, False):
        category = _category(**category_fields)
        prepare(category)
        with CaptureQueriesContext(connection) as captured:
            if in_the_database:
                registration = _register(category, email)
            else:
                with transaction.atomic():
                    registration = _register(category, email)
        inserts = [
            _summary(query["sql"])
            for query in captured.captured_queries
            if query["sql"].startswith('INSERT INTO "registrations_registration"')
        ]
        how = "INSERT SELECT" if in_the_database else "INSERT VALUES"
        assert inserts == [f"{how} registrations_registration"]
        saved = Registration.objects.get(pk=registration.pk)
        assert _decided(saved) == _decided(registration)
        outcomes.append(_decided(saved))
    return outcomes


def _taken(count: int):
    def prepare(category) -> None:
        for _ in range(count):
            RegistrationFactory(congress=category.congress, category=category, status=S.CONFIRMED)

    return prepare


def _someone_waiting(category) -> None:
    RegistrationFactory(
        congress=category.congress, category=category, status=S.WAITLISTED, waitlisted_at=NOW
    )


@pytest.mark.parametrize(
    ("prepare", "fields", "expected"),
    [
        pytest.param(
            _taken(1),
            {},
            (S.PENDING_PAYMENT, NOW + datetime.timedelta(days=3), None, None, None, "transfer"),
            id="a seat, to pay",
        ),
        pytest.param(
            _taken(1),
            {"fee": 0},
            (S.CONFIRMED, None, NOW, None, None, "none"),
            id="a seat, free",
        ),
        pytest.param(
            _taken(0),
            {"requires_approval": True},
            (S.PENDING_APPROVAL, None, None, None, None, "transfer"),
            id="a seat, to approve",
        ),
        pytest.param(
            _taken(2),
            {},
            (S.WAITLISTED, None, None, NOW, None, "transfer"),
            id="full",
        ),
        pytest.param(
            _someone_waiting,
            {},
            (S.WAITLISTED, None, None, NOW, None, "transfer"),
            id="seats free but someone waiting",
        ),
    ],
)
def test_the_database_decides_as_the_lock_holder_would(prepare, fields, expected):
    in_the_database, under_the_lock = _same_outcome_both_ways(prepare, **fields)

    assert in_the_database == under_the_lock
    assert in_the_database[:6] == expected


def test_a_free_seat_decided_by_the_database_sends_registration_confirmed_after_commit():
    category = _category(fee=0)
    received = []

    def receiver(sender, registration, **kwargs):
        received.append(
            (registration.status, Registration.objects.filter(pk=registration.pk).exists())
        )

    registration_confirmed.connect(receiver, dispatch_uid="test_seat_in_the_database")
    try:
        _register(category, "free@example.org")
        RegistrationFactory(congress=category.congress, category=category, status=S.CONFIRMED)
        _register(category, "late@example.org")  # waitlisted: nothing sent
    finally:
        registration_confirmed.disconnect(dispatch_uid="test_seat_in_the_database")

    assert received == [(S.CONFIRMED, True)]


def test_registration_closed_since_the_category_was_read_is_refused_and_saves_nobody():
    category = _category()
    RegistrationCategory.objects.filter(pk=category.pk).update(
        closes_at=NOW - datetime.timedelta(hours=1)
    )

    with pytest.raises(RegistrationClosed):
        _register(category, "late@example.org")  # `category` still says open

    assert Registration.objects.count() == 0
    assert Person.objects.filter(email="late@example.org").exists() is False


def test_a_category_hidden_since_it_was_read_is_refused():
    category = _category()
    RegistrationCategory.objects.filter(pk=category.pk).update(
        access=RegistrationCategory.Access.ACCESS_CODE, access_code="SECRET"
    )

    with pytest.raises(CategoryNotAvailable):
        _register(category, "late@example.org", access_code="")

    assert Registration.objects.count() == 0


def test_a_capacity_lowered_since_the_category_was_read_is_counted():
    category = _category(capacity=50)
    _taken(1)(category)
    RegistrationCategory.objects.filter(pk=category.pk).update(capacity=1)

    registration = _register(category, "late@example.org")  # `category` says 50

    assert registration.status == S.WAITLISTED
    assert Registration.objects.get(pk=registration.pk).status == S.WAITLISTED
    assert Registration.objects.filter(status=S.CONFIRMED).count() == 1


def test_an_expired_hold_is_released_and_its_seat_given_under_the_lock():
    category = _category(capacity=1)
    held = RegistrationFactory(
        congress=category.congress,
        category=category,
        status=S.PENDING_PAYMENT,
        hold_expires_at=NOW - datetime.timedelta(minutes=1),
    )

    registration = _register(category, "next@example.org")

    held.refresh_from_db()
    assert (held.status, held.status_reason) == (S.CANCELLED, "hold_expired")
    assert Registration.objects.get(pk=registration.pk).status == S.PENDING_PAYMENT
