"""No personal data or token in a log line (issue 17)."""

import logging

import pytest
from django.db import IntegrityError

from common.log_filters import PersonalDataFilter, redact

TOKEN = "Zt3kQ9xW_pLm2vB7nR4sYc"  # the shape of secrets.token_urlsafe(16)


def _format(record: logging.LogRecord) -> str:
    PersonalDataFilter().filter(record)
    return logging.Formatter("%(name)s %(message)s").format(record)


def _record(name, message, *args, exc_info=None, **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    return record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Not Found: /en/registration/{TOKEN}/", "Not Found: /en/registration/[token]/"),
        ("mail to amal.haddad@example.org failed", "mail to [email] failed"),
        (
            "username_hash=9f86d081884c7d659a2feaa0c55ad015",
            "username_hash=9f86d081884c7d659a2feaa0c55ad015",
        ),
        ("table registrations_registrationcategory", "table registrations_registrationcategory"),
    ],
)
def test_redact_masks_tokens_and_addresses_only(text, expected):
    assert redact(text) == expected


def test_not_found_warning_drops_the_request_and_the_token():
    record = _record(
        "django.request", "Not Found: %s", f"/en/my-programme/{TOKEN}/", request=object()
    )

    line = _format(record)

    assert (line, record.request) == ("django.request Not Found: /en/my-programme/[token]/", None)


def test_sql_debug_record_keeps_neither_statement_nor_parameters():
    record = _record(
        "django.db.backends",
        "(%.3f) %s; args=%s; alias=%s",
        0.0042,
        "INSERT INTO members_person (name) VALUES ('Amal Haddad')",
        ("Amal Haddad",),
        "default",
        duration=0.0042,
        sql="INSERT INTO members_person (name) VALUES ('Amal Haddad')",
        params=("Amal Haddad",),
    )

    line = _format(record)

    assert line == "django.db.backends SQL statement (0.004 s), text and parameters withheld"


def test_exception_message_is_withheld_but_the_traceback_kept():
    try:
        raise IntegrityError("Key (email)=(amal@example.org) already exists.")
    except IntegrityError:
        import sys

        record = _record(
            "django.request", "Internal Server Error: %s", "/api/v1/x/", exc_info=sys.exc_info()
        )

    line = _format(record)

    assert "amal@example.org" not in line
    assert line.endswith("django.db.utils.IntegrityError: (message withheld)")
    assert "test_exception_message_is_withheld_but_the_traceback_kept" in line
