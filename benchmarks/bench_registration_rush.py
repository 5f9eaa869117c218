"""Registration rush: 50 clients registering flat out for one congress, against gunicorn and
PostgreSQL on 127.0.0.1 (issue 17). Targets: at least 200 registrations/s, p99 under
500 ms, the capacity lock held at most 3 ms, no oversell.

The benchmark creates a throwaway PostgreSQL database (dropped at the end), migrates it and
creates a published congress with two categories: "participant" (no capacity, 200.00 EUR,
paid by transfer: pending payment) and "limited" (free, capacity LIMITED_CAPACITY:
confirmed, then waitlisted). It starts gunicorn (gthread, every option on the command line,
`--config python:benchmarks.no_gunicorn_conf`) on a free loopback port, with the e-mails
queued in the database as in production (benchmarks/rush_settings.py) and a timer on the
capacity lock (benchmarks/rush_wsgi.py: from the lock granted to the COMMIT answered). CLIENTS
threads, keep-alive http.client connections, each POST PER_CLIENT times (20) to
`/api/v1/congresses/{slug}/registrations/` with its own e-mail addresses, as soon as the
previous answer arrives; every LIMITED_EVERY-th post asks for the limited category. Before
the rush, one client alone registers ALONE times: the lock hold time without contention.
Figures: median latency, with registrations/s, p99, errors, the statuses, the lock hold
times (median, p99, max) and the oversell check (confirmed in the limited category against
its capacity, counted in the database) in the notes. The hold times are given per lock
mode: the capacity lock (exclusive: registrations in a category with a capacity wait for
each other) and, since issue 17, the share lock of a category without a capacity (its
registrations do not wait for each other; the code before takes the exclusive lock there
too).

After the rush, a second one: the same CLIENTS x PER_CLIENT posts, every one asking for the
limited category (waitlisted once it is full: counted under the lock all the same), so that
every registration waits for the one capacity lock. Its figure is the median hold, with the
throughput and a bound that needs no timer: one lock's holds never overlap, so their mean is
at most the elapsed time divided by the registrations made. In the mixed rush above, a
holder's every wait for a reply is also a wait for a core taken by registrations that hold
no capacity lock; here those waits are what the lock costs a congress.

"Before and after" in one run: set BENCH_RUSH_BEFORE to another checkout of this project
(e.g. `git worktree add /tmp/base <commit> --detach`) and the same load runs against its code
first. PostgreSQL is found at BENCH_POSTGRES_URL, else DATABASE_URL when it is PostgreSQL,
else postgres://postgres@127.0.0.1:5432/postgres; when it is not reachable the figure says
skipped and why.
"""

import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import servers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CLIENTS = 50
PER_CLIENT = int(os.environ.get("BENCH_RUSH_PER_CLIENT", "20"))
ALONE = 100  # registrations by one client alone, before the rush
LIMITED_EVERY = 5  # one post in five asks for the limited category
LIMITED_CAPACITY = 100
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
TIME_LIMIT = 300  # seconds for one load phase, whatever happens
TARGET = ">= 200 registrations/s, p99 < 500 ms, lock held <= 3 ms, no oversell"


def _skipped(reason: str) -> list[dict]:
    import harness

    return [
        harness.figure(
            "registration rush, 50 clients: skipped",
            0.0,
            0.0,
            0,
            target=TARGET,
            notes="skipped: " + " ".join(reason.split()).replace("|", "/"),
        )
    ]


def _setup_data() -> None:
    """In the subprocess (DATABASE_URL = the throwaway database, the served checkout first
    on the path): migrate, create the congress and its categories, print JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    from tests.factories.congress import CongressFactory
    from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

    call_command("migrate", verbosity=0, interactive=False)
    congress = CongressFactory()
    participant = RegistrationCategoryFactory(congress=congress, code="participant")
    FeeRuleFactory(category=participant, amount_minor=20000)
    RegistrationCategoryFactory(congress=congress, code="limited", capacity=LIMITED_CAPACITY)
    print(json.dumps({"slug": congress.slug}))


class _Client(threading.Thread):
    def __init__(self, *, index, port, slug, label, count, deadline, limited_every):
        super().__init__(daemon=True)
        self.index, self.port, self.label, self.deadline = index, port, label, deadline
        self.count, self.limited_every = count, limited_every
        self.path = f"/api/v1/congresses/{slug}/registrations/"
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.connection = None

    def _post(self, body: bytes) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request("POST", self.path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        for number in range(self.count):
            if time.perf_counter() > self.deadline:
                break
            sequence = self.index * self.count + number
            body = json.dumps(
                {
                    "category": (
                        "limited" if sequence % self.limited_every == 0 else "participant"
                    ),
                    "email": f"rush-{self.label}-{self.index}-{number}@example.org",
                    "name": f"Rush {self.index} {number}",
                    "country": "FR",
                    "payment_method": "transfer",
                }
            ).encode()
            started = time.perf_counter()
            try:
                status, payload = self._post(body)
            except (http.client.HTTPException, OSError) as error:
                key = type(error).__name__
                self.errors[key] = self.errors.get(key, 0) + 1
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            if status != 201:
                key = str(status)
                self.errors[key] = self.errors.get(key, 0) + 1
                continue
            result = json.loads(payload)["status"]
            self.statuses[result] = self.statuses.get(result, 0) + 1
        if self.connection is not None:
            self.connection.close()


def _load(
    *,
    port: int,
    slug: str,
    label: str,
    clients: int = CLIENTS,
    count: int = PER_CLIENT,
    limited_every: int = LIMITED_EVERY,
) -> dict:
    deadline = time.perf_counter() + TIME_LIMIT
    threads = [
        _Client(
            index=index,
            port=port,
            slug=slug,
            label=label,
            count=count,
            deadline=deadline,
            limited_every=limited_every,
        )
        for index in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIME_LIMIT + 60)
    elapsed = time.perf_counter() - started
    import harness

    latencies = [value for thread in threads for value in thread.latencies]
    merged: dict[str, dict[str, int]] = {"statuses": {}, "errors": {}}
    for thread in threads:
        for kind in ("statuses", "errors"):
            for key, number in getattr(thread, kind).items():
                merged[kind][key] = merged[kind].get(key, 0) + number
    return {
        "requests": len(latencies),
        "created": sum(merged["statuses"].values()),
        "per_second": sum(merged["statuses"].values()) / elapsed if elapsed else 0.0,
        "elapsed": elapsed,
        "median": statistics.median(latencies) if latencies else 0.0,
        "p99": harness.percentile(latencies, 0.99) if latencies else 0.0,
        **merged,
    }


def _counts(database, slug: str) -> dict[str, dict[str, int]]:
    """Registrations per category and status, counted in the database."""
    rows = database.execute(
        "SELECT c.code, r.status, count(*) FROM registrations_registration r "
        "JOIN registrations_registrationcategory c ON c.id = r.category_id "
        "JOIN congress_congress g ON g.id = r.congress_id WHERE g.slug = %s "
        "GROUP BY c.code, r.status",
        [slug],
    ).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for code, status, number in rows:
        counts.setdefault(code, {})[status] = number
    return counts


def _lock_holds(path: Path) -> dict[str, list[float]]:
    """{"exclusive": [ms, ...], "shared": [...]} (rush_wsgi's lines: mode and milliseconds)."""
    holds: dict[str, list[float]] = {"exclusive": [], "shared": []}
    if path.exists():
        for line in path.read_text().splitlines():
            mode, held = line.split()
            holds[mode].append(float(held))
    return holds


def _hold_figures(holds: list[float]) -> str:
    import harness

    return (
        f"median {statistics.median(holds):.2f} ms, p99 {harness.percentile(holds, 0.99):.2f} "
        f"ms, max {max(holds):.2f} ms over {len(holds)} holds"
    )


def _measure(*, label: str, root: Path, server: str, admin) -> dict:
    """One full run against the checkout at `root`: database, data, server, load, checks."""
    import psycopg

    name = f"cms_bench_rush_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    gunicorn = None
    lock_log = Path(tempfile.mkdtemp(prefix="bench-rush-")) / "lock-holds.txt"
    try:
        env = {
            **os.environ,
            "DATABASE_URL": servers.with_database(server, name),
            "DJANGO_SETTINGS_MODULE": "rush_settings",
            "PYTHONPATH": os.pathsep.join([str(root), str(HERE)]),
            "BENCH_LOCK_LOG": str(lock_log),
            # Production's web limits, the pool sized as gunicorn.conf.py sizes it.
            "WEB_STATEMENT_TIMEOUT_MS": "5000",
            "WEB_LOCK_TIMEOUT_MS": "2000",
            "DATABASE_POOL_MAX_SIZE": str(THREADS),
        }
        env.pop("DJANGO_DEBUG", None)
        setup = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(Path(__file__).resolve()), "setup"],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        slug = json.loads(setup.stdout.strip().splitlines()[-1])["slug"]
        port = servers.free_port()
        gunicorn = servers.start_gunicorn(
            port=port,
            env=env,
            app="rush_wsgi:application",
            root=root,
            workers=WORKERS,
            threads=THREADS,
        )
        servers.wait_for(port, gunicorn, timeout=60)
        # Warm every worker thread and its pooled connections (not measured, not counted).
        _load(port=port, slug=slug, label=f"{label}-warm", clients=WORKERS * THREADS, count=2)
        lock_log.unlink(missing_ok=True)
        # One client alone first: the lock hold without contention for the CPU (the cost of
        # the locked statements themselves).
        alone = _load(port=port, slug=slug, label=f"{label}-alone", clients=1, count=ALONE)
        alone["holds"] = _lock_holds(lock_log)
        lock_log.unlink(missing_ok=True)
        with psycopg.connect(servers.with_database(server, name), autocommit=True) as database:
            load = _load(port=port, slug=slug, label=label)
            load["holds"] = _lock_holds(lock_log)
            lock_log.unlink(missing_ok=True)
            # Then every registration in the category with a capacity: all of them wait for
            # the one lock, so its holds are what caps a congress's registrations a second.
            serialised = _load(port=port, slug=slug, label=f"{label}-serialised", limited_every=1)
            serialised["holds"] = _lock_holds(lock_log)
            counts = _counts(database, slug)
        servers.stop(gunicorn)
        gunicorn = None
        load["limited"] = counts.get("limited", {})
        load["alone"] = alone
        load["serialised"] = serialised
        return load
    finally:
        if gunicorn is not None:
            servers.stop(gunicorn)
        lock_log.unlink(missing_ok=True)
        lock_log.parent.rmdir()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _load_summary(load: dict) -> str:
    """Rate, p99, answers, errors and statuses of one load."""
    return (
        f"{load['per_second']:.0f} registrations/s; p99 {load['p99']:.0f} ms; "
        f"{load['created']} created of {load['requests']} answered; errors "
        + (", ".join(f"{key} {value}" for key, value in sorted(load["errors"].items())) or "0")
        + "; statuses "
        + ", ".join(f"{key} {value}" for key, value in sorted(load["statuses"].items()))
    )


def _notes(load: dict) -> str:

    holds = load["holds"]
    limited = load["limited"]
    seated = sum(
        number
        for status, number in limited.items()
        if status in ("confirmed", "pending_payment", "pending_approval")
    )
    parts = []
    for mode, label in (("exclusive", "capacity lock"), ("shared", "share lock (no capacity)")):
        if holds[mode]:
            parts.append(f"{label} held {_hold_figures(holds[mode])}")
    lock = "; ".join(parts) or "lock held: no hold recorded"
    alone = load["alone"]["holds"]
    if alone["exclusive"] or alone["shared"]:
        alone_parts = [
            f"{mode} median {statistics.median(alone[mode]):.2f} ms"
            for mode in ("exclusive", "shared")
            if alone[mode]
        ]
        lock += (
            f" (one client alone: lock held {', '.join(alone_parts)}, "
            f"latency median {load['alone']['median']:.1f} ms)"
        )
    return (
        _load_summary(load)
        + f"; {lock}; limited category (capacity {LIMITED_CAPACITY}): "
        + ", ".join(f"{key} {value}" for key, value in sorted(limited.items()))
        + (" - no oversell" if seated <= LIMITED_CAPACITY else " - OVERSOLD")
        + f"; gunicorn gthread {WORKERS} workers x {THREADS} threads, PostgreSQL on 127.0.0.1"
    )


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
    checkouts = [("after", ROOT)]
    before = os.environ.get("BENCH_RUSH_BEFORE", "")
    if before:
        checkouts.insert(0, ("before", Path(before).resolve()))
    loads = {}
    try:
        for label, root in checkouts:
            loads[label] = _measure(label=label, root=root, server=server, admin=admin)
    except (subprocess.SubprocessError, RuntimeError, OSError, ValueError) as error:
        detail = getattr(error, "stderr", "") or ""
        return _skipped(f"{type(error).__name__}: {error} {detail[-500:]}")
    finally:
        admin.close()
    baseline = harness.baseline_ms()
    figures = []
    for label, load in loads.items():
        figures.append(
            harness.figure(
                f"registration rush, {CLIENTS} clients flat out, {label}: median latency",
                load["median"],
                baseline,
                load["requests"],
                target=TARGET,
                notes=_notes(load),
            )
        )
    for label, load in loads.items():
        serialised = load["serialised"]
        holds = serialised["holds"]["exclusive"]
        figures.append(
            harness.figure(
                f"registration rush, {CLIENTS} clients, every one in the category with a "
                f"capacity, {label}: capacity lock held, median",
                statistics.median(holds) if holds else 0.0,
                baseline,
                len(holds),
                target="lock held <= 3 ms",
                notes=_serialised_notes(serialised),
            )
        )
    return figures


def _serialised_notes(load: dict) -> str:
    """The holds of one lock never overlap: their mean is at most the elapsed time divided
    by the registrations (a bound that does not depend on when the client thread saw the
    answers)."""
    holds = load["holds"]["exclusive"]
    bound = load["elapsed"] * 1000 / load["created"] if load["created"] else 0.0
    return (
        _load_summary(load)
        + (f"; capacity lock held {_hold_figures(holds)}" if holds else "; no hold recorded")
        + f"; mean hold at most {bound:.2f} ms (elapsed / registrations: one lock's holds "
        "never overlap)"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["setup"]:
        _setup_data()
    else:
        sys.path[:0] = [str(ROOT), str(HERE)]
        for row in run():
            print(row)
