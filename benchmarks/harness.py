"""Shared helpers for benchmarks: Django setup, timing and the in-process baseline."""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_ready = False


def setup_django() -> None:
    """Configure Django (test settings) on a throwaway database and migrate it, once."""
    global _ready
    if _ready:
        return
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if "DATABASE_URL" not in os.environ:
        handle, path = tempfile.mkstemp(prefix="bench-", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _ready = True


def median_ms(function: Callable[[], object], *, runs: int = 9, warmup: int = 2) -> float:
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def baseline_ms(*, runs: int = 9) -> float:
    """Median time of the cheapest request through the whole stack (GET /livez)."""
    from django.test import Client

    client = Client()
    return median_ms(lambda: client.get("/livez"), runs=runs)


def figure(name: str, median: float, baseline: float, runs: int, **extra: object) -> dict:
    return {"name": name, "median_ms": median, "baseline_ms": baseline, "runs": runs, **extra}
