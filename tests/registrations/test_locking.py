"""What the registering transaction does under the category's lock (PostgreSQL: the lock
and the e-mail advisory lock are PostgreSQL statements; skipped with a reason on SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations import services
from tests.factories.congress import CongressFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _statements(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def _summary(sql: str) -> str:
    """The verb and the table of a statement: "SELECT registrations_registration"."""
    if sql.startswith("RELEASE SAVEPOINT"):
        return "RELEASE SAVEPOINT"
    table = sql.split('"')[1] if '"' in sql else ""
    return f"{sql.split(' ')[0]} {table}".strip()


@pytest.mark.parametrize("capacity", [None, 50])
def test_register_participant_holds_the_lock_for_the_count_and_the_insert_only(capacity):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress, capacity=capacity)
    FeeRuleFactory(category=category, amount_minor=1000)

    with CaptureQueriesContext(connection) as captured:
        services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(email="first@example.org", name="First"),
        )

    statements = _statements(captured)
    mode = "FOR SHARE" if capacity is None else "FOR NO KEY UPDATE"
    locked = next(index for index, sql in enumerate(statements) if sql.endswith(mode))
    counted = [] if capacity is None else ["SELECT registrations_registration"]
    assert [_summary(sql) for sql in statements[locked:]] == [
        "SELECT registrations_registrationcategory",
        # Without a capacity (share lock) nothing is counted.
        *counted,
        "INSERT registrations_registration",
        "RELEASE SAVEPOINT",  # register_participant's commit (a savepoint inside a test)
    ]
    key = services.persons.email_lock_key("first@example.org")
    advisory = [" ".join(sql.split()) for sql in statements[:locked] if "advisory" in sql]
    assert advisory == [f"SELECT pg_advisory_xact_lock(1380271941, {key})"]
    assert [sql for sql in statements if "congress_congress" in sql and "FOR" in sql] == []
