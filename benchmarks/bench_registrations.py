"""Registration benchmarks.

1. The fee computation for 10,000 registrations (the pure `compute_fee`, inputs loaded once).
2. Registration throughput and latency (median, p99) with 50 concurrent clients POSTing to
   `/api/v1/congresses/{slug}/registrations/` on gunicorn and PostgreSQL on 127.0.0.1.
   Needs PostgreSQL: BENCH_REGISTRATIONS_DATABASE_URL (default
   postgres://postgres@127.0.0.1:5432/cms_registrations_bench, created when missing).
   Loopback only, bounded loops: 7 rounds x 50 clients x 4 requests.
"""

import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from harness import median_ms, percentile

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get(
    "BENCH_REGISTRATIONS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/cms_registrations_bench",
)
CLIENTS = 50
REQUESTS_PER_CLIENT = 4
ROUNDS = 7
FEE_RUNS = 9


def _setup_django() -> None:
    try:
        from harness import setup_django
    except ImportError:  # run directly from a checkout without the shared harness
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        return
    setup_django()


def fee_figure() -> dict:
    from registrations.models import CountryGroup, FeeRule, RegistrationCategory, Voucher
    from registrations.services.fees import compute_fee

    category = RegistrationCategory(pk=1, congress_id=1, code="participant", name="P")
    groups = [
        CountryGroup(pk=1, code="high", countries=["FR", "US", "JP"]),
        CountryGroup(pk=2, code="middle", countries=["TN", "MA", "JO"]),
        CountryGroup(pk=3, code="low", countries=["NG", "KE", "BD"]),
    ]
    early = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    rules = [
        FeeRule(
            category=category,
            amount_minor=35000,
            early_bird_amount_minor=28000,
            early_bird_until=early,
        ),
        FeeRule(category=category, is_member_rate=True, amount_minor=22000),
        FeeRule(category=category, country_group=groups[1], amount_minor=17500),
        FeeRule(category=category, country_group=groups[2], amount_minor=8750),
    ]
    vouchers = [None, None, None, Voucher(kind="percent", value=25), Voucher(kind="waiver")]
    countries = ["FR", "TN", "NG", "US", "BD", "JO", "KE", "MA", "JP", "BR"]
    moments = [early - datetime.timedelta(days=10), early + datetime.timedelta(days=10)]
    inputs = [
        (countries[i % 10], i % 3 == 0, moments[i % 2], vouchers[i % 5]) for i in range(10_000)
    ]

    def compute_all() -> None:
        for country, is_member, at, voucher in inputs:
            compute_fee(
                category=category,
                currency="EUR",
                rules=rules,
                groups=groups,
                country=country,
                is_member=is_member,
                at=at,
                voucher=voucher,
            )

    def baseline() -> None:
        for country, is_member, at, voucher in inputs:
            _row = {"country": country, "member": is_member, "at": at, "voucher": voucher}

    median = median_ms(compute_all, runs=FEE_RUNS)
    return {
        "name": "fee computation, 10,000 registrations",
        "median_ms": round(median, 2),
        "baseline_ms": round(median_ms(baseline, runs=FEE_RUNS), 2),
        "runs": FEE_RUNS,
        "notes": f"{median * 1000 / 10_000:.1f} µs per fee; baseline = building 10,000 dicts",
    }


def _ensure_database() -> None:
    import psycopg

    name = BENCH_DB.rsplit("/", 1)[1]
    admin_url = BENCH_DB.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _server_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": BENCH_DB,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STRIPE_SECRET_KEY": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


SETUP_SCRIPT = """
import datetime
from congress.models import Congress
from registrations.models import FeeRule, RegistrationCategory
congress = Congress.objects.create(slug=SLUG, name="Bench", kind="world",
    starts_on=datetime.date(2027, 6, 15), ends_on=datetime.date(2027, 6, 17), city="Paris",
    country="FR", working_languages=["en"], status="published")
category = RegistrationCategory.objects.create(congress=congress, code="participant",
    kind="participant", name="Participant", capacity=1000)
FeeRule.objects.create(category=category, amount_minor=20000)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/livez")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _client(port: int, slug: str, prefix: str, latencies: list, errors: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for index in range(REQUESTS_PER_CLIENT):
        body = json.dumps(
            {"category": "participant", "email": f"{prefix}-{index}@example.org", "name": "B"}
        )
        started = time.perf_counter()
        connection.request(
            "POST",
            f"/api/v1/congresses/{slug}/registrations/",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 201:
            errors.append(response.status)
    connection.close()


def throughput_figures() -> list[dict]:
    _ensure_database()
    env = _server_env()
    python = sys.executable
    # S603: fixed argument lists built here, no outside input.
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    subprocess.run(  # noqa: S603 - fixed argument list, the slug is generated here
        [python, "manage.py", "shell", "-c", f"SLUG={slug!r}\n{SETUP_SCRIPT}"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    workers = min(9, 2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen(  # noqa: S603 - fixed argument list, loopback only
        [
            str(Path(python).parent / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port, time.monotonic() + 30)
        health = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(50):
            started = time.perf_counter()
            connection.request("GET", "/livez")
            connection.getresponse().read()
            health.append((time.perf_counter() - started) * 1000)
        latencies: list[float] = []
        errors: list[int] = []
        round_rates = []
        for round_index in range(ROUNDS):
            threads = [
                threading.Thread(
                    target=_client,
                    args=(port, slug, f"r{round_index}c{client}", latencies, errors),
                )
                for client in range(CLIENTS)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            elapsed = time.perf_counter() - started
            round_rates.append(CLIENTS * REQUESTS_PER_CLIENT / elapsed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    baseline = statistics.median(health)
    notes = (
        f"gunicorn {workers} sync workers, PostgreSQL, {CLIENTS} concurrent clients, "
        f"{len(latencies)} registrations (capacity 1000: the rest waitlisted), "
        f"errors: {len(errors)}"
    )
    return [
        {
            "name": "register (API POST), 50 concurrent clients: latency median",
            "median_ms": round(statistics.median(latencies), 1),
            "baseline_ms": round(baseline, 2),
            "runs": ROUNDS,
            "notes": notes,
        },
        {
            "name": "register (API POST), 50 concurrent clients: latency p99",
            "median_ms": round(percentile(latencies, 0.99), 1),
            "baseline_ms": round(baseline, 2),
            "runs": ROUNDS,
            "notes": f"throughput median {statistics.median(round_rates):.0f} registrations/s",
        },
    ]


def run() -> list[dict]:
    _setup_django()
    figures = [fee_figure()]
    try:
        figures += throughput_figures()
    except Exception as error:  # report why the figure is missing, go on
        figures.append(
            {
                "name": "register throughput",
                "median_ms": None,
                "baseline_ms": None,
                "runs": 0,
                "notes": f"skipped: {type(error).__name__}: {error}",
            }
        )
    return figures


if __name__ == "__main__":
    for item in run():
        print(item)
