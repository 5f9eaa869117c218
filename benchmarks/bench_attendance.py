"""Benchmark: the attendance report and close_congress for 5,000 participants, 60 sessions
and 150,000 scans (issue 7). Targets: report < 2 s with a constant number of queries,
close_congress < 30 s.

Run: `python benchmarks/bench_attendance.py` (SQLite test database; PostgreSQL when
DATABASE_URL is set). `run()` returns one dict per measurement: name, median_ms,
baseline_ms (a trivial request in the same process), runs, and extras.
"""

import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

PARTICIPANTS = 5_000
SESSIONS = 60
SCANS = 150_000
RUNS = 7


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _median_ms(function, runs: int = RUNS) -> tuple[float, list[float]]:
    timings = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), timings


def build_data(*, participants=PARTICIPANTS, sessions=SESSIONS, scans=SCANS, seed=7):
    """Bulk-create a congress of the given size; returns the congress."""
    from badges.models import CheckIn, Checkpoint, Credential
    from congress.models import Congress, Track
    from members.models import Membership, Network, Organisation, Person
    from registrations.models import Registration, RegistrationCategory
    from sessions.models import Session, SessionSignup

    generator = random.Random(seed)
    network = Network.objects.create(name="Bench network", slug="bench", scope="world")
    congress = Congress.objects.create(
        slug="bench-2027",
        name="Bench congress",
        kind="world",
        network=network,
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        timezone="UTC",
        city="Paris",
        country="FR",
        working_languages=["en"],
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", country="FR") for n in range(300)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, network=network)
        for organisation in organisations[:200]
    )
    tracks = Track.objects.bulk_create(
        Track(congress=congress, slug=f"track-{n}", name=f"Track {n}", theme="other")
        for n in range(5)
    )
    categories = RegistrationCategory.objects.bulk_create(
        RegistrationCategory(congress=congress, code=f"c{n}", kind="participant", name=f"C{n}")
        for n in range(4)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                name=f"Person {n}",
                latin_name=f"Person {n}",
                country=generator.choice(["FR", "TN", "JP", "US"]),
                organisation=generator.choice(organisations),
            )
            for n in range(participants)
        ),
        batch_size=1000,
    )
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                congress=congress,
                person=person,
                category=generator.choice(categories),
                status="confirmed",
                is_protected=n % 50 == 0,
            )
            for n, person in enumerate(people)
        ),
        batch_size=1000,
    )
    days = [congress.starts_on + datetime.timedelta(days=n) for n in range(3)]
    per_day = sessions // len(days)
    session_rows = []
    for day_index, day in enumerate(days):
        for n in range(per_day):
            slot = n // 2  # two rooms in parallel
            start = datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC) + (
                datetime.timedelta(minutes=50 * slot)
            )
            session_rows.append(
                Session(
                    congress=congress,
                    track=tracks[(day_index + n) % len(tracks)],
                    kind=generator.choice(["training", "workshop", "plenary"]),
                    status="published",
                    title=f"Session {day_index}-{n}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=45),
                )
            )
    session_objects = Session.objects.bulk_create(session_rows)
    entrance = Checkpoint.objects.create(congress=congress, kind="entrance", name="Entrance")
    doors = Checkpoint.objects.bulk_create(
        Checkpoint(congress=congress, kind="session", name=s.title, session=s)
        for s in session_objects
    )
    credentials = Credential.objects.bulk_create(
        (Credential(registration=r, token=secrets.token_urlsafe(24)) for r in registrations),
        batch_size=1000,
    )
    checkins = []
    signups = []
    scans_per_person = scans // participants
    for credential in credentials:
        chosen_days = days if generator.random() < 0.9 else days[:1]
        for day in chosen_days:
            checkins.append(
                CheckIn(
                    credential=credential,
                    checkpoint=entrance,
                    day=day,
                    checked_in_at=datetime.datetime.combine(
                        day, datetime.time(7, 30), tzinfo=datetime.UTC
                    ),
                )
            )
        for door in generator.sample(doors, scans_per_person - len(chosen_days)):
            session = door.session
            checkins.append(
                CheckIn(
                    credential=credential,
                    checkpoint=door,
                    day=session.starts_at.date(),
                    checked_in_at=session.starts_at,
                )
            )
            if generator.random() < 0.8:
                signups.append(
                    SessionSignup(
                        session=session, registration_id=credential.registration_id, state="seated"
                    )
                )
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    SessionSignup.objects.bulk_create(signups, batch_size=5000)
    return congress, len(checkins)


def run() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from attendance.exports import REPORT_COLUMNS, report_rows, sheet
    from attendance.queries import attendance_report
    from attendance.services import close_congress
    from common.exports import write_csv

    start = time.perf_counter()
    congress, scan_count = build_data()
    build_seconds = time.perf_counter() - start
    client = Client()
    baseline_ms, _timings = _median_ms(lambda: client.get("/livez"))

    def report():
        rows = report_rows(attendance_report(congress=congress))
        return write_csv(sheet("attendance", REPORT_COLUMNS, rows))

    with CaptureQueriesContext(connection) as queries:
        report()
    report_ms, _report_timings = _median_ms(report)
    close_ms, _close_timings = _median_ms(lambda: close_congress(congress=congress), runs=7)
    common = {
        "participants": PARTICIPANTS,
        "sessions": SESSIONS,
        "scans": scan_count,
        "database": connection.vendor,
        "build_seconds": round(build_seconds, 1),
    }
    return [
        {
            "name": "attendance report (CSV) 5k people / 60 sessions / 150k scans",
            "median_ms": round(report_ms, 1),
            "baseline_ms": round(baseline_ms, 2),
            "runs": RUNS,
            "queries": len(queries),
            "target_ms": 2000,
            **common,
        },
        {
            "name": "close_congress 5k people / 60 sessions / 150k scans",
            "median_ms": round(close_ms, 1),
            "baseline_ms": round(baseline_ms, 2),
            "runs": 7,
            "target_ms": 30000,
            **common,
        },
    ]


def main() -> None:
    _setup_django()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        for result in run():
            print(result)
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
