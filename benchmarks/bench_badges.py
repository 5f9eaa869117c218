"""Badge rendering benchmark: 5,000 badges with mixed-script names in one PDF.

Reports ms per badge (median of runs), peak memory (tracemalloc) and bytes per badge, for
single A6 badges and for A4 sheets of 8. No database: rows are built in memory, so only the
rendering is measured. Run: DJANGO_DEBUG=1 python -m benchmarks.bench_badges
(The check-in throughput benchmark against gunicorn + PostgreSQL is not written yet.)
"""

import io
import os
import secrets
import statistics
import time
import tracemalloc

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
django.setup()

from badges.rendering import BadgeData, BadgeStyle, render_badges  # noqa: E402

NAMES = [
    ("Zoë Łukasiewicz-Nguyễn", "Zoe Lukasiewicz-Nguyen"),
    ("محمد رضایی", "Mohammad Rezaei"),
    ("عبد الرحمن بن محمد", "Abd al-Rahman bin Muhammad"),
    ("Мария Иванова", "Maria Ivanova"),
    ("王小明", "Wang Xiaoming"),
    ("山田 太郎", "Yamada Taro"),
    ("김민준", "Kim Minjun"),
    ("Nguyễn Thị Minh Khai", "Nguyen Thi Minh Khai"),
]
COUNT = int(os.environ.get("BENCH_BADGES", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def _badges(count: int) -> list[BadgeData]:
    return [
        BadgeData(
            registration_id=index,
            token=secrets.token_urlsafe(16),
            name=f"{NAMES[index % len(NAMES)][0]} {index}",
            latin_name=f"{NAMES[index % len(NAMES)][1]} {index}",
            organisation="Coalition mondiale contre la peine de mort",
            country="TN",
            category_id=index % 3,
            category=("Delegate", "Speaker", "Press")[index % 3],
            role="Delegate",
            language="fr",
            colour=("#1f6f8b", "#8b1f4a", "#3a7d22")[index % 3],
        )
        for index in range(count)
    ]


def _render(badges, size, trace: bool = False) -> tuple[float, int, int]:
    """(seconds, peak bytes or 0, PDF bytes); tracemalloc slows Python, so it is a separate run."""
    style = BadgeStyle(
        congress_name="World Congress against the Death Penalty 2027", colour="#1f6f8b"
    )
    out = io.BytesIO()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    render_badges(badges=badges, style_for=lambda _category: style, size=size, out=out)
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak, len(out.getvalue())


def run() -> list[dict]:
    badges = _badges(COUNT)
    _render(badges[:50], "a6")  # load fonts once
    baseline = []
    for _ in range(RUNS):
        start = time.perf_counter()
        io.BytesIO(b"x" * 1024).getvalue()
        baseline.append((time.perf_counter() - start) * 1000)
    results = []
    for size in ("a6", "a4_8"):
        runs = [_render(badges, size) for _ in range(RUNS)]
        median = statistics.median(elapsed for elapsed, _peak, _bytes in runs)
        results.append(
            {
                "name": f"render {COUNT} badges ({size})",
                "median_ms": median * 1000,
                "ms_per_badge": median * 1000 / COUNT,
                "peak_mb": _render(badges, size, trace=True)[1] / 1e6,
                "bytes_per_badge": runs[0][2] / COUNT,
                "baseline_ms": statistics.median(baseline),
                "runs": RUNS,
            }
        )
    return results


if __name__ == "__main__":
    for row in run():
        print(row)
