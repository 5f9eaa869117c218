"""Benchmark: importing a 10,000-line bank statement (issue 13). Target: well under a minute.

The statement is a CSV of 10,000 credit lines for a congress of 1,500 registrations awaiting
payment: 1,000 lines pay a registration in full (each confirms it: payment row, audit row,
badge issued by the badges app), 500 pay half, 8,500 carry no or an unknown reference
(donations, other income) and wait for review. Each run imports into a fresh congress; a
second figure re-imports the same file (every line is then a duplicate). The import runs
as the background task does (`run_bank_statement_import`, chunks of 500 lines); e-mails and
badge PDFs are queued (django-tasks dummy backend), as a production worker would take them.
Run: `python benchmarks/run.py bank` (SQLite; PostgreSQL when DATABASE_URL is set).
"""

import datetime
import time

from django.test import override_settings
from harness import baseline_ms

RUNS = 3
PAYING, HALF, OTHER = 1000, 500, 8500


def _world(index: int):
    from congress.models import Congress
    from members.models import Person
    from registrations.models import Registration, RegistrationCategory
    from registrations.services.common import new_reference

    congress = Congress.objects.create(
        slug=f"bank-bench-{index}-{time.monotonic_ns()}",
        name="Bank bench",
        kind=Congress.Kind.WORLD,
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        timezone="Europe/Paris",
        city="Strasbourg",
        country="FR",
        currency="EUR",
    )
    category = RegistrationCategory.objects.create(
        congress=congress, code="participant", kind="participant", name="Participant"
    )
    count = PAYING + HALF
    people = Person.objects.bulk_create(
        Person(name=f"Person {n}", email=f"bench{index}-{n}@example.org") for n in range(count)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            congress=congress,
            person=person,
            category=category,
            status=Registration.Status.PENDING_PAYMENT,
            amount_due_minor=15000,
            payment_method="transfer",
            payment_reference=new_reference("REG"),
        )
        for person in people
    )
    return congress, [item.payment_reference for item in registrations]


def _statement(references: list[str]) -> bytes:
    lines = ["date,amount,currency,reference"]
    lines += [f"2027-01-05,150.00,EUR,Fee {ref}" for ref in references[:PAYING]]
    lines += [f"2027-01-06,75.00,EUR,{ref} first half" for ref in references[PAYING:]]
    lines += [
        f"2027-01-{7 + n % 20:02d},{10 + n % 90}.{n % 100:02d},EUR,Gift {n}" for n in range(OTHER)
    ]
    return ("\n".join(lines) + "\n").encode()


def _import(congress, content: bytes):
    from registrations.services import import_bank_statement

    return import_bank_statement(congress=congress, content=content, file_name="b.csv", actor=None)


def _timed_runs(offset: int) -> tuple[list[float], list[float], dict]:
    firsts, agains, summary = [], [], {}
    for index in range(RUNS):
        congress, references = _world(offset + index)
        content = _statement(references)
        started = time.perf_counter()
        summary = _import(congress, content).summary
        firsts.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        _import(congress, content)
        agains.append((time.perf_counter() - started) * 1000)
    return sorted(firsts), sorted(agains), summary


def _without_badge_receiver():
    """The import alone: the badges app's receiver (a credential per confirmation) off."""
    from registrations.signals import registration_confirmed

    registration_confirmed.disconnect(dispatch_uid="badges_issue_on_confirmation")
    try:
        return _timed_runs(100)[0]
    finally:
        from badges.receivers import issue_badge_on_confirmation

        registration_confirmed.connect(
            issue_badge_on_confirmation, dispatch_uid="badges_issue_on_confirmation"
        )


def run() -> list[dict]:
    baseline = baseline_ms()
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        firsts, agains, summary = _timed_runs(0)
        alone = _without_badge_receiver()
    median = firsts[len(firsts) // 2]
    counts = ", ".join(f"{key} {value}" for key, value in summary.items() if value)
    return [
        {
            "name": "bank import, 10,000-line CSV (1,500 registrations paid, 1,000 confirmed)",
            "median_ms": median,
            "baseline_ms": baseline,
            "runs": RUNS,
            "target": "well under 60 s",
            "notes": f"{counts}; {median / 10000:.2f} ms per line; min {firsts[0] / 1000:.1f} s, "
            f"max {firsts[-1] / 1000:.1f} s",
        },
        {
            "name": "the same without the badges app's receiver (no credential issued)",
            "median_ms": alone[len(alone) // 2],
            "baseline_ms": baseline,
            "runs": RUNS,
            "target": "",
            "notes": "the difference is the badge issued for each of the 1,000 confirmations",
        },
        {
            "name": "same statement imported again (all duplicates)",
            "median_ms": agains[len(agains) // 2],
            "baseline_ms": baseline,
            "runs": RUNS,
            "target": "",
            "notes": "reading, keying and checking 10,000 lines; nothing paid twice",
        },
    ]
