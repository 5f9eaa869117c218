"""Benchmark: the public programme page and the sessions API for a congress of 200
sessions and 400 speakers.

`run()` builds the data in a throw-away test database, then measures the median server
time of each request (Django test client, so no network), and a trivial request as the
baseline. Run: `python -m benchmarks.bench_programme` (or through the benchmarks runner).
"""

import datetime
import os
import statistics
import time

RUNS = 15
SESSIONS = 200
SPEAKERS_PER_SESSION = 2


def _median_ms(client, url: str, runs: int = RUNS) -> float:
    client.get(url)  # warm-up: templates, URL resolver, font caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def _build_congress():
    from members.models import Person
    from sessions.models import Room, Session, SessionSpeaker
    from tests.factories.congress import CongressFactory, TrackFactory

    congress = CongressFactory(slug="bench-congress")
    tracks = [TrackFactory(congress=congress, slug=f"track-{i}") for i in range(5)]
    rooms = [
        Room.objects.create(congress=congress, name=f"Room {i}", capacity=100) for i in range(10)
    ]
    people = Person.objects.bulk_create(
        Person(name=f"Speaker {i}", latin_name=f"Speaker {i}", email=f"s{i}@example.org")
        for i in range(SESSIONS * SPEAKERS_PER_SESSION)
    )
    tz = congress.tzinfo
    sessions = Session.objects.bulk_create(
        Session(
            congress=congress,
            kind=Session.Kind.WORKSHOP,
            status=Session.Status.PUBLISHED,
            title=f"Session {i}",
            track=tracks[i % 5],
            room=rooms[i % 10],
            starts_at=datetime.datetime(2027, 6, 15 + i % 3, 8 + (i // 30), 0, tzinfo=tz),
            ends_at=datetime.datetime(2027, 6, 15 + i % 3, 8 + (i // 30), 45, tzinfo=tz),
            interpretation_languages=["fr", "ar"],
            requires_signup=i % 2 == 0,
            capacity=20,
        )
        for i in range(SESSIONS)
    )
    SessionSpeaker.objects.bulk_create(
        SessionSpeaker(session=session, person=people[i * 2 + j], position=j)
        for i, session in enumerate(sessions)
        for j in range(SPEAKERS_PER_SESSION)
    )
    return congress


def run() -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    # No setup_test_environment(): its template instrumentation would be measured too.
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        congress = _build_congress()
        client = Client()
        baseline = _median_ms(client, "/healthz")
        page = _median_ms(client, f"/en/congresses/{congress.slug}/programme/")
        api = _median_ms(client, f"/api/v1/congresses/{congress.slug}/sessions/")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return [
        {"name": "programme page, 200 sessions / 400 speakers", "median_ms": round(page, 1),
         "baseline_ms": round(baseline, 2), "runs": RUNS, "target": "< 100 ms"},
        {"name": "sessions API, 200 sessions / 400 speakers", "median_ms": round(api, 1),
         "baseline_ms": round(baseline, 2), "runs": RUNS, "target": "< 100 ms"},
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(row)
