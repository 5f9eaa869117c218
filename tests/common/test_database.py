"""Database time limits: a locked table is a quick translated 503, the door keeps scanning."""

import contextlib
import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from rest_framework.test import APIClient

from badges.models import CheckIn
from common.database import busy_kind
from registrations.models import Registration
from tests.factories.badges import CredentialFactory
from tests.factories.registrations import RegistrationCategoryFactory

LOCK_TIMEOUT_MS = 1000


@contextlib.contextmanager
def lock_timeout(milliseconds: int):
    """This process's new connections get this lock timeout (0: none; production web: 2 s)."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    options["options"] = f"-c statement_timeout=15000 -c lock_timeout={milliseconds}"
    connection.close()
    try:
        yield
    finally:
        if before is None:
            options.pop("options")
        else:
            options["options"] = before
        connection.close()


@contextlib.contextmanager
def registrations_locked(*, seconds: float):
    """Another connection holds the registrations table in EXCLUSIVE mode (reads still
    work, writes wait) for `seconds`, as a long migration or a bulk update would."""
    locked = threading.Event()

    def hold() -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"LOCK TABLE {Registration._meta.db_table} IN EXCLUSIVE MODE")
            locked.set()
            time.sleep(seconds)  # the lock's holder, not a wait for the code under test
            cursor.execute("COMMIT")
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        yield
    finally:
        holder.join(timeout=seconds + 10)


def _register(congress, **extra):
    return APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "participant", "email": "late@example.org", "name": "Late Comer"},
        format="json",
        **extra,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registration_during_a_table_lock_answers_503_within_the_lock_timeout_door_scans(
    congress, checkin_staff, token_client
):
    RegistrationCategoryFactory(congress=congress, code="participant")
    credential = CredentialFactory(registration__congress=congress)
    door = token_client(checkin_staff)
    scan_url = f"/api/v1/congresses/{congress.slug}/checkins/"

    # Load the URLs, the API and the French catalogue first: the first request of a test
    # process costs seconds of imports on a loaded machine, which is not what is measured.
    APIClient().get(f"/api/v1/congresses/{congress.slug}/registrations/", HTTP_ACCEPT_LANGUAGE="fr")
    with lock_timeout(LOCK_TIMEOUT_MS), registrations_locked(seconds=10):
        started = time.monotonic()
        response = _register(congress, HTTP_ACCEPT_LANGUAGE="fr")
        elapsed = time.monotonic() - started
        scan = door.post(scan_url, {"token": credential.token}, format="json")

    assert (response.status_code, response["Retry-After"], response.json()) == (
        503,
        "5",
        {
            "code": "database_busy",
            "detail": "Le système est occupé. Veuillez réessayer dans quelques secondes.",
        },
    )
    assert elapsed < LOCK_TIMEOUT_MS / 1000 + 1.5
    assert (scan.status_code, scan.json()["result"]) == (200, "ok")
    assert CheckIn.objects.filter(credential=credential).count() == 1
    assert list(Registration.objects.values_list("person__email", flat=True)) == [
        credential.registration.person.email
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_a_lock_timeout_the_registration_waits_for_the_lock(congress):
    RegistrationCategoryFactory(congress=congress, code="participant")

    with lock_timeout(0), registrations_locked(seconds=3):
        started = time.monotonic()
        response = _register(congress)
        elapsed = time.monotonic() - started

    assert (response.status_code, response.json()["status"]) == (201, "confirmed")
    assert elapsed >= 2.5


def test_busy_kind_names_only_postgres_time_outs():
    class Cause(Exception):
        sqlstate = "55P03"

    error = OperationalError("canceling statement due to lock timeout: Amal Haddad")
    error.__cause__ = Cause()

    assert (busy_kind(error), busy_kind(OperationalError("disk full"))) == ("lock_timeout", None)


@pytest.mark.postgres
@pytest.mark.django_db
def test_connections_ask_the_server_to_log_errors_without_statement_or_detail():
    """A unique violation logged by the PostgreSQL server would carry the statement (values
    inline) and `DETAIL: Key (email)=(...)`: the app's connections turn both off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW log_min_error_statement")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW log_error_verbosity")
        verbosity = cursor.fetchone()[0]

    assert (statement, verbosity) == ("panic", "terse")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_repeated_on_a_connection_is_prepared_there():
    """Server-side parameters and prepared statements (DATABASE_PREPARED_STATEMENTS): the
    fifth run of a statement prepares it, and PostgreSQL no longer plans it each time."""
    from django.conf import settings

    sql = "SELECT COUNT(*) FROM registrations_registration WHERE category_id = %s"
    with connection.cursor() as cursor:
        for category_id in range(settings.DATABASE_PREPARE_THRESHOLD + 1):
            cursor.execute(sql, [category_id])
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%registrations_registration WHERE category_id%"],
        )
        prepared = [row[0] for row in cursor.fetchall()]

    assert prepared == [sql.replace("%s", "$1")]
