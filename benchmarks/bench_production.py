"""Production weight (issue 17): the public programme page on the wire, and the first badge
a fresh worker draws.

1. The programme page of bench_programme's congress (200 sessions, 400 speakers) through the
   whole middleware stack (Django test client, no network), in the same process and run:
   "before" is the answer to a client that sends no Accept-Encoding (what every client got
   before: no compression, no ETag honoured), "after" is a browser's first visit (gzip) and
   its repeat visit (If-None-Match: 304, no body). Bytes are the body's length on the wire;
   requests a second are 1000 / median ms for one client in one thread (the machine is
   shared and loaded: compare the rows with each other, not with other machines).
   "list not cached" renders the session list on every request (PROGRAMME_CACHE_SECONDS=0,
   as before the programme cache); the other rows use the cached list (sessions.programme_cache).
2. The first badge of a fresh process: a new Python process sets up Django and draws one
   badge with names in six scripts, timed from the call; "before" draws it cold, "after"
   runs config.warmup.warm_up() first, as gunicorn's master does before forking
   (preload_app), then draws it. The figure is the median of the runs' first badges.
"""

import gzip
import json
import os
import statistics
import subprocess
import sys

import harness
from bench_programme import SLUG, build_congress

RUNS = 9
BADGE_RUNS = 3

_FIRST_BADGE = r"""
import io, json, os, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django
django.setup()
from badges.rendering import BadgeData, BadgeStyle, render_badges
from config.warmup import SAMPLE_NAMES, warm_up
if sys.argv[1] == "warm":
    warm_up()
style = BadgeStyle(congress_name="Bench", colour="#1F4E79")
def draw(index):
    badge = BadgeData(registration_id=index, token=f"bench{index:027d}",
        name=SAMPLE_NAMES[index % 6], latin_name="", organisation="Bench", country="FR",
        category_id=1, category="Participant", role="", language="en", colour="#1F4E79")
    started = time.perf_counter()
    render_badges(badges=[badge], style_for=lambda _id: style, size=style.size, out=io.BytesIO())
    return (time.perf_counter() - started) * 1000
first = draw(1)
second = draw(2)
print(json.dumps({"first": first, "second": second}))
"""


def _first_badges(mode: str) -> tuple[list[float], list[float]]:
    firsts, seconds = [], []
    for _run in range(BADGE_RUNS):
        output = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _FIRST_BADGE, mode],
            cwd=str(harness.ROOT),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ},
        ).stdout
        timing = json.loads(output.strip().splitlines()[-1])
        firsts.append(timing["first"])
        seconds.append(timing["second"])
    return firsts, seconds


def run() -> list[dict]:
    harness.setup_django()
    from django.test import Client, override_settings

    build_congress()
    client = Client()
    baseline = harness.baseline_ms(runs=RUNS)
    url = f"/en/congresses/{SLUG}/programme/"
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    repeat = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert (zipped["Content-Encoding"], repeat.status_code) == ("gzip", 304)
    assert gzip.decompress(zipped.content).count(b"<article") == plain.content.count(b"<article")
    with override_settings(PROGRAMME_CACHE_SECONDS=0):  # the list rendered on every request
        uncached = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        uncached_ms = harness.median_ms(
            lambda: client.get(url, HTTP_ACCEPT_ENCODING="gzip"), runs=RUNS
        )
    timings = {
        "before: list not cached, gzip": uncached_ms,
        "before: no compression": harness.median_ms(lambda: client.get(url), runs=RUNS),
        "after: first visit, gzip": harness.median_ms(
            lambda: client.get(url, HTTP_ACCEPT_ENCODING="gzip"), runs=RUNS
        ),
        "after: repeat visit, 304": harness.median_ms(
            lambda: client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]),
            runs=RUNS,
        ),
    }
    sizes = {
        "before: list not cached, gzip": len(uncached.content),
        "before: no compression": len(plain.content),
        "after: first visit, gzip": len(zipped.content),
        "after: repeat visit, 304": len(repeat.content),
    }
    figures = [
        harness.figure(
            f"programme page, 200 sessions, {label}",
            round(median, 2),
            round(baseline, 2),
            RUNS,
            target="< 10 KB on the wire; repeat 304",
            notes=f"{sizes[label]:,} bytes of body; {1000 / median:.0f} requests/s, one thread",
        )
        for label, median in timings.items()
    ]
    for mode, label in (("cold", "before: cold fonts"), ("warm", "after: warm_up() first")):
        firsts, seconds = _first_badges(mode)
        figures.append(
            harness.figure(
                f"first badge in a fresh process, {label}",
                round(statistics.median(firsts), 1),
                round(baseline, 2),
                BADGE_RUNS,
                target="first badge no slower than the next",
                notes="first badges "
                + ", ".join(f"{value:.1f}" for value in firsts)
                + " ms; the next badge "
                + ", ".join(f"{value:.1f}" for value in seconds)
                + " ms",
            )
        )
    return figures


if __name__ == "__main__":
    for row in run():
        print(row)
