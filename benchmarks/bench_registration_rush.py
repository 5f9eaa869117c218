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

Since the seat is decided by the database (no reply awaited under the lock), the capacity
lock's holds are measured by the database's clock: from the lock granted to the commit it
records (`pg_xact_commit_timestamp`), which needs `track_commit_timestamp = on` on the
server (`ALTER SYSTEM SET track_commit_timestamp = on`, then restart PostgreSQL; the notes
say when it is off). The notes also give the upper bound that counts the reply's way back to
Python (benchmarks/rush_wsgi.py). For code that decides under the lock and learns the
registration's key with it (since issue 17), they give, by the database's clock, the time
from the lock's answer seen in Python to the commit recorded: a lower bound of its hold.

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


def _lock_holds(path: Path, database=None) -> dict[str, list[float]]:
    """{"exclusive": [ms, ...], "shared": [...], "database": [...], "committed": [...]}
    from rush_wsgi's lines (mode and milliseconds; a seat decided by the database adds its
    key and when the lock was granted). "committed": those holds by the database's clock,
    to the commit time it recorded (empty unless `track_commit_timestamp` is on)."""
    holds: dict[str, list[float]] = {"exclusive": [], "shared": [], "database": []}
    granted: dict[str, dict[int, float]] = {"exclusive": {}, "shared": {}, "database": {}}
    if path.exists():
        for line in path.read_text().splitlines():
            mode, held, *seat = line.split()
            holds[mode].append(float(held))
            if seat:
                granted[mode][int(seat[0])] = float(seat[1])
    # "committed": from the lock granted (the INSERT's statement_timestamp); "committed_seen":
    # from the lock's answer seen in Python, later than the grant (a lower bound).
    for key, mode in (("committed", "database"), ("committed_seen", "exclusive")):
        found = granted[mode]
        holds[key] = _committed_holds(database, found) if database and found else []
    return holds


def _committed_holds(database, granted: dict[int, float]) -> list[float]:
    """From the lock granted to the transaction's commit as the database records it, in ms."""
    if database.execute("SHOW track_commit_timestamp").fetchone()[0] != "on":
        return []
    rows = database.execute(
        "SELECT id, EXTRACT(EPOCH FROM pg_xact_commit_timestamp(xmin))::float8 "
        "FROM registrations_registration WHERE id = ANY(%s)",
        [list(granted)],
    ).fetchall()
    return [(committed - granted[key]) * 1000 for key, committed in rows]


def _capacity_lock(holds: dict[str, list[float]]) -> str:
    """The capacity lock's holds: by the database's clock when the seat was decided there
    (with the upper bound counting the reply's way back to Python), else as timed in Python."""
    parts = []
    if holds["committed"]:
        parts.append(
            f"capacity lock held {_hold_figures(holds['committed'])} by the database's clock "
            "(lock granted to commit recorded)"
        )
    if holds["database"]:
        parts.append(
            f"counting the reply's way back to Python {_hold_figures(holds['database'])}"
            if parts
            else f"capacity lock held, counting the reply's way back to Python "
            f"{_hold_figures(holds['database'])} (track_commit_timestamp off: no database-side "
            "figure)"
        )
    if holds["exclusive"]:
        parts.append(f"capacity lock held (timed in Python) {_hold_figures(holds['exclusive'])}")
    if holds["committed_seen"]:
        parts.append(
            f"by the database's clock at least {_hold_figures(holds['committed_seen'])} (from "
            "the lock's answer seen in Python to the commit recorded)"
        )
    return "; ".join(parts)


def _capacity_lock_median(holds: dict[str, list[float]]) -> tuple[float, int]:
    """The median hold of the capacity lock, and how many: by the database's clock when
    measured there, else as timed in Python."""
    for mode in ("committed", "exclusive", "database"):
        if holds[mode]:
            return statistics.median(holds[mode]), len(holds[mode])
    return 0.0, 0


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
        with psycopg.connect(servers.with_database(server, name), autocommit=True) as database:
            alone = _load(port=port, slug=slug, label=f"{label}-alone", clients=1, count=ALONE)
            alone["holds"] = _lock_holds(lock_log, database)
            lock_log.unlink(missing_ok=True)
            load = _load(port=port, slug=slug, label=label)
            load["holds"] = _lock_holds(lock_log, database)
            lock_log.unlink(missing_ok=True)
            # Then every registration in the category with a capacity: all of them wait for
            # the one lock, so its holds are what caps a congress's registrations a second.
            serialised = _load(port=port, slug=slug, label=f"{label}-serialised", limited_every=1)
            serialised["holds"] = _lock_holds(lock_log, database)
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
    parts = [_capacity_lock(holds)] if _capacity_lock(holds) else []
    if holds["shared"]:
        parts.append(f"share lock (no capacity) held {_hold_figures(holds['shared'])}")
    lock = "; ".join(parts) or "lock held: no hold recorded"
    alone = load["alone"]["holds"]
    capacity_alone, _count = _capacity_lock_median(alone)
    if capacity_alone or alone["shared"]:
        alone_parts = [f"exclusive median {capacity_alone:.2f} ms"] if capacity_alone else []
        if alone["shared"]:
            alone_parts.append(f"shared median {statistics.median(alone['shared']):.2f} ms")
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
        median, count = _capacity_lock_median(serialised["holds"])
        figures.append(
            harness.figure(
                f"registration rush, {CLIENTS} clients, every one in the category with a "
                f"capacity, {label}: capacity lock held, median",
                median,
                baseline,
                count,
                target="lock held <= 3 ms",
                notes=_serialised_notes(serialised),
            )
        )
    return figures


def _serialised_notes(load: dict) -> str:
    """The holds of one lock never overlap: their mean is at most the elapsed time divided
    by the registrations (a bound that does not depend on when the client thread saw the
    answers)."""
    lock = _capacity_lock(load["holds"])
    bound = load["elapsed"] * 1000 / load["created"] if load["created"] else 0.0
    return (
        _load_summary(load)
        + (f"; {lock}" if lock else "; no hold recorded")
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
