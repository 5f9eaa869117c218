"""What the load benchmarks share (not a benchmark module): a throwaway PostgreSQL database's
address, a free loopback port, and gunicorn started with every option on the command line
(`--config python:benchmarks.no_gunicorn_conf`: the repo's gunicorn.conf.py is not read),
waited for and stopped. Used by bench_checkin, bench_programme_load and
bench_registration_rush."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# One gthread worker per core, each with a few threads (BENCHMARKS.md: the best shape here).
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))


def server_url() -> str:
    """PostgreSQL at BENCH_POSTGRES_URL, else DATABASE_URL when it is PostgreSQL, else the
    local server's postgres database."""
    configured = os.environ.get("BENCH_POSTGRES_URL")
    if configured:
        return configured
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith(("postgres://", "postgresql://")):
        return database
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    *,
    port: int,
    env: dict,
    app: str = "config.wsgi:application",
    root: Path = ROOT,
    workers: int = WORKERS,
    threads: int = THREADS,
    worker_connections: int | None = None,
) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py's options on the command line; `worker_connections`
    defaults to its default (4 x threads)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--config",
            "python:benchmarks.no_gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--worker-connections",
            str(worker_connections or threads * 4),
            "--log-level",
            "warning",
            "--preload",
        ],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    """Until `GET /livez` answers, or raise when gunicorn exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/livez")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
