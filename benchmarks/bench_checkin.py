"""Check-in throughput: 16 concurrent scanners against gunicorn and PostgreSQL on 127.0.0.1.
Target: p99 latency under 50 ms.

The benchmark creates a throwaway PostgreSQL database (dropped at the end), migrates it and
creates a congress with 1,600 confirmed registrations and badge tokens, then starts gunicorn
(gthread) on a free loopback port with DATABASE_URL pointing at that database and a high
per-device scan limit (that server only). 16 threads, one device id each, send
`POST /api/v1/congresses/{slug}/checkins/` over keep-alive http.client connections:
- paced: each scanner scans once a second, the 16 spread over the second (16 scans/s in
  all: a busy entrance), 30 each;
- flat out: each scanner sends its next scan as soon as the previous answer arrives, 80 each
  (mostly first entries, then re-scans answered `already_checked_in`).
Figures: median latency (with p99 and scans/s in the notes), and the number of SQL queries
of one scan request (first entry, repeat, exit). The baseline is `GET /livez` in-process.
PostgreSQL is found at BENCH_POSTGRES_URL, else DATABASE_URL when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/postgres; when it is not reachable the figure says
skipped and why.
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
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import servers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCANNERS = 16
TOKENS_PER_SCANNER = 100
PACED_SCANS = 30
PACED_INTERVAL = 1.0
PACED_ROUNDS = 3
FLAT_SCANS = 80
TIME_LIMIT = 180  # seconds for the whole load phase, whatever happens
SEQUENTIAL_SCANS = 300
# The path before issue 17's door work, in the same run: the ORM path in a transaction for
# every scan, nothing cached (token, role, entrance read on every scan).
OLD_PATH = {
    "BADGES_SCAN_FAST_PATH": False,
    "BADGES_SCAN_CONTEXT_SECONDS": 0,
    "BADGES_AUTH_CACHE_SECONDS": 0,
}
PRETIX_SEQUENTIAL_MS = (
    35.0  # pretix's check-in API, one scanner, measured on this machine (issue 17)
)


def _skipped(reason: str) -> list[dict]:
    import harness

    return [
        harness.figure(
            "check-in, 16 scanners: skipped",
            0.0,
            0.0,
            0,
            target="p99 < 50 ms",
            notes="skipped: " + " ".join(reason.split()).replace("|", "/"),
        )
    ]


def _setup_data() -> None:
    """In the subprocess (DATABASE_URL = the throwaway database): migrate, create data, and
    print JSON with the slug, an API token, the badge tokens and queries per scan."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from rest_framework.authtoken.models import Token

    from badges.models import Credential
    from congress.models import CongressRole
    from members.models import Person
    from registrations.models import Registration
    from tests.factories.congress import CongressFactory, CongressRoleFactory
    from tests.factories.members import PersonFactory
    from tests.factories.registrations import RegistrationCategoryFactory

    call_command("migrate", verbosity=0, interactive=False)
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)
    count = SCANNERS * TOKENS_PER_SCANNER + 1
    people = Person.objects.bulk_create(PersonFactory.build_batch(count))
    registrations = Registration.objects.bulk_create(
        Registration(
            congress=congress,
            person=person,
            category=category,
            status=Registration.Status.CONFIRMED,
        )
        for person in people
    )
    credentials = Credential.objects.bulk_create(
        Credential(registration=registration, token=secrets.token_urlsafe(16))
        for registration in registrations
    )
    role = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF)
    api_token = Token.objects.create(user=role.user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {api_token}")
    url = f"/api/v1/congresses/{congress.slug}/checkins/"
    client.post(url, {"token": credentials[-1].token}, content_type="application/json")
    client.post(url, {"token": "z" * 22}, content_type="application/json")  # fills the caches
    old_counts = []
    with override_settings(**OLD_PATH):
        for token, extra in ((credentials[-3].token, {}), (credentials[-3].token, {})):
            with CaptureQueriesContext(connection) as old:
                client.post(url, {"token": token, **extra}, content_type="application/json")
            old_counts.append(len(old.captured_queries))
    with CaptureQueriesContext(connection) as first:
        client.post(
            url,
            {"token": credentials[-2].token, "device_id": "probe"},
            content_type="application/json",
        )
    with CaptureQueriesContext(connection) as repeat:
        client.post(
            url,
            {"token": credentials[-2].token, "device_id": "probe"},
            content_type="application/json",
        )
    with CaptureQueriesContext(connection) as exit_scan:
        client.post(
            url,
            {"token": credentials[-2].token, "device_id": "probe", "direction": "exit"},
            content_type="application/json",
        )
    print(
        json.dumps(
            {
                "slug": congress.slug,
                "api_token": api_token,
                "tokens": [credential.token for credential in credentials[: count - 2]],
                "queries_first": len(first.captured_queries),
                "queries_repeat": len(repeat.captured_queries),
                "queries_exit": len(exit_scan.captured_queries),
                "old_queries_first": old_counts[0],
                "old_queries_repeat": old_counts[1],
            }
        )
    )


class _Scanner(threading.Thread):
    def __init__(self, *, index, port, path, api_token, tokens, interval, deadline):
        super().__init__(daemon=True)
        self.index, self.port, self.path = index, port, path
        self.headers = {
            "Authorization": f"Token {api_token}",
            "Content-Type": "application/json",
            "Connection": "keep-alive",
        }
        self.tokens, self.interval, self.deadline = tokens, interval, deadline
        self.latencies: list[float] = []
        self.results: dict[str, int] = {}
        self.errors = 0
        self.connection = None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.connection.request("POST", self.path, body=body, headers=self.headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        # Doors are not synchronised: paced scanners start spread over one interval.
        next_at = time.perf_counter() + self.interval * self.index / SCANNERS
        for token in self.tokens:
            if time.perf_counter() > self.deadline:
                break
            if self.interval:
                pause = next_at - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                next_at += self.interval
            body = json.dumps(
                {
                    "token": token,
                    "device_id": f"bench-scanner-{self.index}",
                    "scan_id": str(uuid.uuid4()),  # as the scanner page sends
                }
            ).encode()
            started = time.perf_counter()
            try:
                status, payload = self._post(body)
            except (http.client.HTTPException, OSError):
                self.errors += 1
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                self.errors += 1
                continue
            result = json.loads(payload)["result"]
            self.results[result] = self.results.get(result, 0) + 1
        if self.connection is not None:
            self.connection.close()


def _load(*, port, slug, api_token, token_lists, interval) -> dict:
    deadline = time.perf_counter() + TIME_LIMIT / 2
    scanners = [
        _Scanner(
            index=index,
            port=port,
            path=f"/api/v1/congresses/{slug}/checkins/",
            api_token=api_token,
            tokens=tokens,
            interval=interval,
            deadline=deadline,
        )
        for index, tokens in enumerate(token_lists)
    ]
    started = time.perf_counter()
    for scanner in scanners:
        scanner.start()
    for scanner in scanners:
        scanner.join(TIME_LIMIT)
    elapsed = time.perf_counter() - started
    latencies = [value for scanner in scanners for value in scanner.latencies]
    results: dict[str, int] = {}
    for scanner in scanners:
        for result, number in scanner.results.items():
            results[result] = results.get(result, 0) + number
    import harness

    return {
        "scans": len(latencies),
        "per_second": len(latencies) / elapsed if elapsed else 0.0,
        "median": statistics.median(latencies) if latencies else 0.0,
        "p99": harness.percentile(latencies, 0.99) if latencies else 0.0,
        "errors": sum(scanner.errors for scanner in scanners),
        "results": results,
    }


def _merge_rounds(rounds: list[dict]) -> dict:
    """Medians over rounds of the paced load (scans and errors are summed)."""
    results: dict[str, int] = {}
    for load in rounds:
        for key, value in load["results"].items():
            results[key] = results.get(key, 0) + value
    return {
        "scans": sum(load["scans"] for load in rounds),
        "per_second": statistics.median(load["per_second"] for load in rounds),
        "median": statistics.median(load["median"] for load in rounds),
        "p99": statistics.median(load["p99"] for load in rounds),
        "p99_rounds": [round(load["p99"], 1) for load in rounds],
        "errors": sum(load["errors"] for load in rounds),
        "results": results,
    }


def run() -> list[dict]:
    import harness

    harness.setup_django()
    try:
        import psycopg
    except ImportError:
        return _skipped("psycopg is not installed")
    server = servers.server_url()
    try:
        admin = psycopg.connect(
            servers.with_database(server, "postgres"), autocommit=True, connect_timeout=3
        )
    except psycopg.Error as error:
        return _skipped(f"PostgreSQL not reachable at {urlsplit(server).hostname}: {error}")
    name = f"cms_bench_checkin_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    gunicorn = None
    try:
        env = {
            **os.environ,
            "DATABASE_URL": servers.with_database(server, name),
            "DJANGO_SETTINGS_MODULE": "checkin_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
            "BADGES_SCANS_PER_MINUTE": "1000000",
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
        data = json.loads(setup.stdout.strip().splitlines()[-1])
        tokens = data["tokens"]
        slices = [
            tokens[index * TOKENS_PER_SCANNER : (index + 1) * TOKENS_PER_SCANNER]
            for index in range(SCANNERS)
        ]
        database = psycopg.connect(servers.with_database(server, name), autocommit=True)
        loads = {}
        for mode in ("before", "after"):
            mode_env = {**env}
            if mode == "before":
                mode_env.update(
                    {key: "1" if value is True else "0" for key, value in OLD_PATH.items()}
                )
            port = servers.free_port()
            # Connections per worker sized to the scanners, as docs/operations.md advises
            # for a door: 16 scanners on 2 workers, 8 each (gunicorn's default, 1000, lets
            # one worker take most of them and leaves the other idle).
            gunicorn = servers.start_gunicorn(
                port=port, env=mode_env, worker_connections=SCANNERS // servers.WORKERS
            )
            servers.wait_for(port, gunicorn)
            common = {"port": port, "slug": data["slug"], "api_token": data["api_token"]}
            # Warm every worker thread's database connection and caches (not measured).
            _load(**common, token_lists=[[tokens[0]] * 4] * SCANNERS, interval=0)
            _forget_scans(database)
            loads[mode, "sequential"] = _load(
                **common, token_lists=[tokens[1 : 1 + SEQUENTIAL_SCANS]], interval=0
            )
            _forget_scans(database)
            if mode == "after":
                # The paced phase runs in rounds so the p99 is a median of several runs, not
                # one run's tail on a shared 2-core machine.
                per_round = PACED_SCANS // PACED_ROUNDS
                loads[mode, "paced"] = _merge_rounds(
                    [
                        _load(
                            **common,
                            token_lists=[
                                own[1 + index * per_round : 1 + (index + 1) * per_round]
                                for own in slices
                            ],
                            interval=PACED_INTERVAL,
                        )
                        for index in range(PACED_ROUNDS)
                    ]
                )
                _forget_scans(database)
            loads[mode, "flat"] = _load(
                **common,
                # first entries of the scanner's tokens, then re-scans of its first ones
                token_lists=[own[1 : 1 + FLAT_SCANS - 20] + own[1:21] for own in slices],
                interval=0,
            )
            _forget_scans(database)
            servers.stop(gunicorn)
            gunicorn = None
        database.close()
    except (subprocess.SubprocessError, RuntimeError, OSError, ValueError) as error:
        detail = getattr(error, "stderr", "") or ""
        return _skipped(f"{type(error).__name__}: {error} {detail[-500:]}")
    finally:
        if gunicorn is not None:
            servers.stop(gunicorn)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    baseline = harness.baseline_ms()
    setup_note = (
        f"gunicorn gthread {servers.WORKERS} workers x {servers.THREADS} threads, "
        "PostgreSQL on 127.0.0.1; "
        f"SQL statements a scan (BEGIN and COMMIT included): before {data['old_queries_first']} "
        f"for a first entry, {data['old_queries_repeat']} for a repeat; after "
        f"{data['queries_first']} for a first entry, {data['queries_repeat']} for a repeat, "
        f"{data['queries_exit']} for an exit"
    )

    def notes(load):
        return (
            f"p99 {load['p99']:.1f} ms; {load['per_second']:.0f} scans/s; "
            f"{load['scans']} scans, {load['errors']} errors; results "
            + ", ".join(f"{key} {value}" for key, value in sorted(load["results"].items()))
        )

    paced = loads["after", "paced"]
    figures = [
        harness.figure(
            f"check-in, {SCANNERS} scanners paced: p99 latency, median of {PACED_ROUNDS} rounds",
            paced["p99"],
            baseline,
            PACED_ROUNDS,
            target="p99 < 50 ms",
            notes=f"p99 of each round: {', '.join(f'{value} ms' for value in paced['p99_rounds'])}",
        ),
        harness.figure(
            f"check-in, {SCANNERS} scanners paced (1 scan / {PACED_INTERVAL * 1000:.0f} ms "
            "each): median latency",
            paced["median"],
            baseline,
            paced["scans"],
            target="p99 < 50 ms",
            notes=notes(paced),
        ),
    ]
    for mode in ("before", "after"):
        sequential = loads[mode, "sequential"]
        figures.append(
            harness.figure(
                f"check-in, 1 scanner in sequence, {mode}: median latency",
                sequential["median"],
                baseline,
                sequential["scans"],
                target="<= 4 ms (pretix: 35 ms)",
                notes=notes(sequential)
                + f"; {PRETIX_SEQUENTIAL_MS / sequential['median']:.1f}x faster than pretix's "
                f"{PRETIX_SEQUENTIAL_MS:.0f} ms" + (f"; {setup_note}" if mode == "after" else ""),
            )
        )
        flat = loads[mode, "flat"]
        figures.append(
            harness.figure(
                f"check-in, {SCANNERS} scanners flat out, {mode}: median latency",
                flat["median"],
                baseline,
                flat["scans"],
                target=">= 300 scans/s, p99 < 50 ms",
                notes=notes(flat),
            )
        )
    return figures


def _forget_scans(database) -> None:
    """Empty the check-ins and the scan log between phases (TRUNCATE: the append-only
    triggers are row triggers), so every phase scans first entries."""
    database.execute("TRUNCATE badges_scan, badges_checkin CASCADE")


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        _setup_data()
    else:
        sys.path[:0] = [str(ROOT), str(HERE)]
        for row in run():
            print(row)
