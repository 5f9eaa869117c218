"""The public programme page under load: 16 browsers against gunicorn, PostgreSQL and Redis on
127.0.0.1, before and after the programme cache and its validators (issue 17: at least 5x
the 72 requests/s of 16 clients before; >= 360 requests/s).

The benchmark creates a throwaway PostgreSQL database (dropped at the end), migrates it and
bulk-creates bench_programme's congress (200 sessions, 400 speakers, 3 days), then starts
gunicorn as the other load benchmarks do (benchmarks/servers.py: gthread,
`--config python:benchmarks.no_gunicorn_conf`, DEBUG off) with Redis as the shared cache
(a key prefix of this run). 16 threads, each on
its own keep-alive http.client connection, GET `/en/congresses/<slug>/programme/` as a
browser does (Accept-Encoding: gzip), one after the other as fast as answers come:

- before: the cache off (PROGRAMME_CACHE_SECONDS=0: the list rendered on every request),
  no conditional headers (what every client got before issue 17);
- after, first visits: the cache on, no conditional headers (every request a full page
  from the cached list);
- after, mixed: the cache on, each browser's first visit in every BENCH_PROGRAMME_MIX
  requests (default 4) sends no validator, the others are repeat visits with the ETag and
  the CSRF cookie they got (answered 304 before rendering).

Each figure: median latency, with p50, p99 and requests a second in the notes. Counts come
from the environment: BENCH_PROGRAMME_REQUESTS (per browser and phase, default 60). Redis is
found at REDIS_URL, else redis://127.0.0.1:6379/0; PostgreSQL as `servers.server_url` finds it.
When either is not reachable the figure says skipped and why.
"""

import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import servers  # noqa: E402  (gunicorn and PostgreSQL helpers of the load benchmarks)

BROWSERS = 16
REQUESTS = int(os.environ.get("BENCH_PROGRAMME_REQUESTS", "60"))
MIX = int(os.environ.get("BENCH_PROGRAMME_MIX", "4"))  # one first visit in MIX requests
TIME_LIMIT = 120  # seconds for one phase, whatever happens
BEFORE_REQUESTS_PER_SECOND = 72.0  # 16 clients before issue 17, measured on this machine
PHASES = (
    # (label, cache on, conditional requests)
    ("before (cache off, no validators)", False, False),
    ("after, first visits only", True, False),
    (f"after, 1 first visit in {MIX}, the rest repeat visits", True, True),
)


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _skipped(reason: str) -> list[dict]:
    import harness

    return [
        harness.figure(
            f"programme page, {BROWSERS} browsers: skipped",
            0.0,
            0.0,
            0,
            target=">= 360 requests/s",
            notes="skipped: " + " ".join(reason.split()).replace("|", "/"),
        )
    ]


def _setup_data() -> None:
    """In the subprocess (DATABASE_URL = the throwaway database): migrate, create the
    congress, print JSON with its slug."""
    import django

    django.setup()
    from bench_programme import SLUG, build_congress
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    build_congress()
    print(json.dumps({"slug": SLUG}))


class _Browser(threading.Thread):
    def __init__(self, *, port: int, path: str, conditional: bool, deadline: float):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.conditional, self.deadline = conditional, deadline
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.body_bytes = 0
        self.errors = 0
        self.connection = None

    def _get(self, headers: dict) -> http.client.HTTPResponse:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.connection.request("GET", self.path, headers=headers)
                response = self.connection.getresponse()
                response.body = response.read()
                return response
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        etag, cookie = "", ""
        for index in range(REQUESTS):
            if time.perf_counter() > self.deadline:
                break
            headers = {"Accept-Encoding": "gzip, deflate, br", "Connection": "keep-alive"}
            if self.conditional and index % MIX and etag:
                headers["If-None-Match"] = etag
                if cookie:
                    headers["Cookie"] = cookie
            started = time.perf_counter()
            try:
                response = self._get(headers)
            except (http.client.HTTPException, OSError):
                self.errors += 1
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
            self.body_bytes += len(response.body)
            if response.status not in (200, 304):
                self.errors += 1
            if response.status == 200:
                etag = response.getheader("ETag") or ""
                set_cookie = response.getheader("Set-Cookie") or ""
                cookie = set_cookie.split(";", 1)[0] if set_cookie.startswith("csrftoken=") else ""
        if self.connection is not None:
            self.connection.close()


def _load(*, port: int, path: str, conditional: bool) -> dict:
    import harness

    deadline = time.perf_counter() + TIME_LIMIT
    browsers = [
        _Browser(port=port, path=path, conditional=conditional, deadline=deadline)
        for _ in range(BROWSERS)
    ]
    started = time.perf_counter()
    for browser in browsers:
        browser.start()
    for browser in browsers:
        browser.join(TIME_LIMIT + 10)
    elapsed = time.perf_counter() - started
    latencies = [value for browser in browsers for value in browser.latencies]
    statuses: dict[int, int] = {}
    for browser in browsers:
        for status, number in browser.statuses.items():
            statuses[status] = statuses.get(status, 0) + number
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed if elapsed else 0.0,
        "median": statistics.median(latencies) if latencies else 0.0,
        "p99": harness.percentile(latencies, 0.99) if latencies else 0.0,
        "errors": sum(browser.errors for browser in browsers),
        "statuses": statuses,
        "bytes_per_request": (
            sum(browser.body_bytes for browser in browsers) / len(latencies) if latencies else 0
        ),
    }


def _redis_reachable() -> str:
    """ "" when Redis answers PING, else why not."""
    try:
        import redis
    except ImportError:
        return "the redis client is not installed"
    try:
        redis.Redis.from_url(_redis_url(), socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis not reachable: {type(error).__name__}"
    return ""


def _run_phases(*, env: dict, path: str) -> dict:
    loads = {}
    for label, cached, conditional in PHASES:
        phase_env = {**env, "PROGRAMME_CACHE_SECONDS": "3600" if cached else "0"}
        port = servers.free_port()
        gunicorn = servers.start_gunicorn(port=port, env=phase_env)
        try:
            servers.wait_for(port, gunicorn)
            # Every worker thread's connection, the cached list and the version (not measured).
            _load(port=port, path=path, conditional=False)
            loads[label] = _load(port=port, path=path, conditional=conditional)
        finally:
            servers.stop(gunicorn)
    return loads


def run() -> list[dict]:
    import harness

    harness.setup_django()
    try:
        import psycopg
    except ImportError:
        return _skipped("psycopg is not installed")
    redis_problem = _redis_reachable()
    if redis_problem:
        return _skipped(redis_problem)
    server = servers.server_url()
    try:
        admin = psycopg.connect(
            servers.with_database(server, "postgres"), autocommit=True, connect_timeout=3
        )
    except psycopg.Error as error:
        return _skipped(f"PostgreSQL not reachable: {type(error).__name__}")
    name = f"cms_bench_programme_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": servers.with_database(server, name),
            "REDIS_URL": _redis_url(),
            "BENCH_CACHE_PREFIX": f"bench-programme-{secrets.token_hex(4)}",
            "DJANGO_SETTINGS_MODULE": "page_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
            "DATABASE_CONN_MAX_AGE": "600",
        }
        env.pop("DJANGO_DEBUG", None)
        setup = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(Path(__file__).resolve()), "setup"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        slug = json.loads(setup.stdout.strip().splitlines()[-1])["slug"]
        loads = _run_phases(env=env, path=f"/en/congresses/{slug}/programme/")
    except (subprocess.SubprocessError, RuntimeError, OSError, ValueError) as error:
        detail = getattr(error, "stderr", "") or ""
        return _skipped(f"{type(error).__name__}: {error} {detail[-500:]}")
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    baseline = harness.baseline_ms()
    before = loads[PHASES[0][0]]["per_second"]
    figures = []
    for label, load in loads.items():
        answers = sorted(load["statuses"].items())
        statuses = ", ".join(f"{status}: {number}" for status, number in answers)
        figures.append(
            harness.figure(
                f"programme page, 200 sessions, {BROWSERS} browsers, {label}: median latency",
                round(load["median"], 1),
                round(baseline, 2),
                load["requests"],
                target=f">= {5 * BEFORE_REQUESTS_PER_SECOND:.0f} requests/s",
                notes=(
                    f"{load['per_second']:.0f} requests/s ({load['per_second'] / before:.1f}x "
                    f"this run's before); p50 {load['median']:.1f} ms, p99 {load['p99']:.1f} ms; "
                    f"{load['bytes_per_request']:,.0f} bytes of body a request; answers {statuses}"
                    f"; {load['errors']} errors; gunicorn gthread {servers.WORKERS} workers "
                    f"x {servers.THREADS} threads, PostgreSQL and Redis on 127.0.0.1"
                ),
            )
        )
    return figures


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        _setup_data()
    else:
        for row in run():
            print(row)
