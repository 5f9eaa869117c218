"""Benchmark: the public programme page and the sessions API for a congress of 200 sessions
and 400 speakers (issue 4). Target: under 100 ms median server time each, with a constant
number of queries (pinned by tests/sessions/test_views.py and test_api.py).

Requests go through the Django test client (whole middleware stack, no network), in English
and in Arabic (right-to-left, translated titles), plus the page right after a session
changed (nothing is cached, so the change must show in that very response). Run:
`python benchmarks/run.py programme` (SQLite; PostgreSQL when DATABASE_URL is set).
"""

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

RUNS = 21
SESSIONS = 200
SPEAKERS_PER_SESSION = 2
SLUG = "bench-programme"


def build_congress():
    """Bulk-create the congress: 5 tracks, 10 rooms, 200 sessions over 3 days, 400 speakers
    (every fifth with an Arabic name), half of the sessions with sign-up."""
    from congress.models import Congress, Track
    from members.models import Organisation, Person
    from sessions.models import Room, Session, SessionSpeaker

    existing = Congress.objects.filter(slug=SLUG).first()
    if existing is not None:  # the throwaway database is reused within one `make bench`
        return existing
    congress = Congress.objects.create(
        slug=SLUG,
        name="Bench programme congress",
        name_translations={"fr": "Congrès du banc d'essai", "ar": "مؤتمر الاختبار"},
        kind=Congress.Kind.WORLD,
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        timezone="Europe/Paris",
        city="Strasbourg",
        country="FR",
        working_languages=["en", "fr", "ar"],
        currency="EUR",
        status=Congress.Status.PUBLISHED,
    )
    tracks = Track.objects.bulk_create(
        Track(
            congress=congress,
            slug=f"p-track-{n}",
            name=f"Track {n}",
            name_translations={"fr": f"Filière {n}", "ar": f"المسار {n}"},
            theme=Track.Theme.DRUG_POLICY,
            colour="#1f6f8b",
        )
        for n in range(5)
    )
    rooms = Room.objects.bulk_create(
        Room(congress=congress, name=f"Room {n}", capacity=100, position=n) for n in range(10)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench organisation {n}", country="FR") for n in range(20)
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"محمد رضایی {n}" if n % 5 == 0 else f"Speaker Zoë {n}",
            latin_name=f"Speaker {n}",
            email=f"speaker{n}@example.org",
            organisation=organisations[n % 20],
        )
        for n in range(SESSIONS * SPEAKERS_PER_SESSION)
    )
    tz = congress.tzinfo
    sessions = Session.objects.bulk_create(
        Session(
            congress=congress,
            kind=Session.Kind.WORKSHOP if n % 4 else Session.Kind.TRAINING,
            status=Session.Status.PUBLISHED,
            title=f"Session {n}: litigating drug cases",
            title_translations={"fr": f"Séance {n}", "ar": f"الجلسة {n}"},
            description="A workshop for lawyers.",
            track=tracks[n % 5],
            room=rooms[n % 10],
            starts_at=datetime.datetime(2027, 6, 15 + n % 3, 8 + (n // 30), 0, tzinfo=tz),
            ends_at=datetime.datetime(2027, 6, 15 + n % 3, 8 + (n // 30), 45, tzinfo=tz),
            interpretation_languages=["fr", "ar"],
            requires_signup=n % 2 == 0,
            capacity=20,
        )
        for n in range(SESSIONS)
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, person=people[n * 2 + j], position=j)
        for n, session in enumerate(sessions)
        for j in range(SPEAKERS_PER_SESSION)
    )
    return congress


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def _cpu_ms(url: str, client) -> float:
    """Median process CPU time of the request: what the server spends on it, without the
    waiting for a core that wall time includes on a busy machine."""
    timings = []
    for _ in range(RUNS):
        started = time.process_time()
        _get(client, url)
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def _touch(congress) -> str:
    """A change after publication, which the next request must show: the new title."""
    from django.utils import timezone

    from sessions.models import Session

    session = Session.objects.filter(congress=congress).order_by("pk").first()
    session.title = f"Changed {timezone.now().timestamp()}"
    session.save(update_fields=["title", "updated_at"])
    return session.title


def _median_after_change(client, congress, url: str) -> float:
    """Median time of the first request after a change (the change itself is not timed)."""
    timings = []
    for _ in range(RUNS):
        title = _touch(congress)
        started = time.perf_counter()
        response = _get(client, url)
        timings.append((time.perf_counter() - started) * 1000)
        assert title in response.content.decode(), "a change must show at once"
    return statistics.median(timings)


def run() -> list[dict]:
    harness.setup_django()
    from django.test import Client

    congress = build_congress()
    client = Client()
    baseline = harness.baseline_ms(runs=RUNS)
    urls = {
        "programme page": f"/en/congresses/{SLUG}/programme/",
        "programme page (Arabic)": f"/ar/congresses/{SLUG}/programme/",
        "sessions API": f"/api/v1/congresses/{SLUG}/sessions/",
    }
    figures = []
    for label, url in urls.items():
        queries = _queries(client, url)
        warm = harness.median_ms(lambda url=url: _get(client, url), runs=RUNS)
        cpu = _cpu_ms(url, client)
        figures.append(
            harness.figure(
                f"{label}, {SESSIONS} sessions / {SESSIONS * SPEAKERS_PER_SESSION} speakers",
                round(warm, 1),
                round(baseline, 2),
                RUNS,
                target="< 100 ms",
                notes=f"{queries} queries; CPU {cpu:.1f} ms",
            )
        )

    changed = _median_after_change(client, congress, urls["programme page"])
    figures.append(
        harness.figure(
            "programme page right after a change",
            round(changed, 1),
            round(baseline, 2),
            RUNS,
            target="< 100 ms",
            notes="a session is renamed before each timed request; the new title must show",
        )
    )
    return figures


if __name__ == "__main__":
    for row in run():
        print(row)
