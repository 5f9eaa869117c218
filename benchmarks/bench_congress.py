"""Public congress pages and API: 50 published congresses with 5 tracks each. Every figure is
one full request through the middleware stack (Django test client, no network)."""

import datetime

from harness import baseline_ms, figure, median_ms

RUNS = 15


def _build() -> str:
    from congress.models import Congress, Track

    if Congress.objects.filter(slug="bench-0").exists():
        return "bench-0"
    for index in range(50):
        congress = Congress.objects.create(
            slug=f"bench-{index}",
            name=f"Benchmark congress {index}",
            kind=Congress.Kind.REGIONAL,
            starts_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=index),
            ends_on=datetime.date(2027, 1, 3) + datetime.timedelta(days=index),
            city="Geneva",
            country="CH",
            working_languages=["en", "fr"],
            status=Congress.Status.PUBLISHED,
        )
        Track.objects.bulk_create(
            Track(congress=congress, slug=f"t{n}", name=f"Track {n}", theme="media", position=n)
            for n in range(5)
        )
    return "bench-0"


def run() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    slug = _build()
    client = Client()
    baseline = baseline_ms(runs=RUNS)
    figures = []
    for name, url in [
        ("GET /api/v1/congresses/ (50 congresses)", "/api/v1/congresses/"),
        ("GET /api/v1/congresses/{slug}/ (5 tracks)", f"/api/v1/congresses/{slug}/"),
        ("GET /en/ home page (50 congresses)", "/en/"),
        ("GET /ar/congresses/{slug}/ congress page", f"/ar/congresses/{slug}/"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        query_count = len(queries)  # read now: every later request resets the query log
        figures.append(
            figure(
                name,
                median_ms(lambda url=url: client.get(url), runs=RUNS),
                baseline,
                RUNS,
                notes=f"{query_count} queries",
            )
        )
    return figures
