"""Badge rendering: one PDF of 5,000 badges with mixed-script names (Latin with diacritics,
Persian, Arabic, Cyrillic, Chinese, Japanese, Korean, Vietnamese), as single A6 badges and as
A4 sheets of 8. Targets (2 cores): <= 2 ms a badge, < 150 MB peak, < 8 KB a badge, A4 sheets
no slower than 1.5x single badges.

Figures: ms per badge (median of runs of the whole document, divided by the badge count),
with peak memory (tracemalloc, in a separate run since tracing slows Python) and PDF bytes
per badge in the notes. Rows are built in memory (the database side is one query, see
tests/badges/test_render_bulk.py), so only drawing and writing the PDF are measured. The
baseline is `GET /livez` through the middleware stack.
Run: `python benchmarks/run.py badges` (BENCH_BADGES=N and BENCH_RUNS=N to change sizes).
"""

import io
import os
import secrets
import statistics
import time
import tracemalloc

import harness

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
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def _badges(count: int):
    from badges.rendering import BadgeData

    return [
        BadgeData(
            registration_id=index,
            token=secrets.token_urlsafe(16),
            name=f"{NAMES[index % len(NAMES)][0]} {index}",
            latin_name=f"{NAMES[index % len(NAMES)][1]} {index}",
            organisation=("Coalition mondiale contre la peine de mort", "مركز الحقوق", "人权中心")[
                index % 3
            ],
            country=("TN", "IR", "FR", "JP", "KR", "VN")[index % 6],
            category_id=index % 3,
            category=("Delegate", "Speaker", "Press")[index % 3],
            role="Delegate",
            language=("fr", "fa", "en")[index % 3],
            colour=("#1f6f8b", "#8b1f4a", "#3a7d22")[index % 3],
        )
        for index in range(count)
    ]


def _render(badges, size: str, *, trace: bool = False) -> tuple[float, int, int]:
    """(seconds, tracemalloc peak bytes or 0, PDF bytes)."""
    from badges.rendering import BadgeStyle, render_badges

    styles = {
        category: BadgeStyle(
            congress_name="World Congress against the Death Penalty 2027", colour="#1f6f8b"
        )
        for category in range(3)
    }
    out = io.BytesIO()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    render_badges(badges=badges, style_for=styles.__getitem__, size=size, out=out)
    elapsed = time.perf_counter() - start
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak, out.getbuffer().nbytes


def run() -> list[dict]:
    harness.setup_django()
    from django.utils import translation

    translation.activate("en")
    badges = _badges(COUNT)
    _render(badges[:50], "a6")  # load fonts and caches once
    baseline = harness.baseline_ms()
    results = []
    per_badge = {}
    for size, label in (("a6", "A6, one a page"), ("a4_8", "A4 sheets of 8")):
        runs = [_render(badges, size) for _ in range(RUNS)]
        timings = [elapsed * 1000 / COUNT for elapsed, _peak, _bytes in runs]
        median = statistics.median(timings)
        per_badge[size] = median
        _elapsed, peak, size_bytes = _render(badges, size, trace=True)
        results.append(
            harness.figure(
                f"render {COUNT} badges, {label}: ms per badge",
                median,
                baseline,
                RUNS,
                target="<= 2 ms a badge, < 150 MB peak, < 8 KB a badge",
                notes=(
                    f"runs {', '.join(f'{value:.2f}' for value in timings)} ms; "
                    f"whole PDF {median * COUNT / 1000:.1f} s; "
                    f"peak {peak / 1e6:.1f} MB (tracemalloc, incl. the {COUNT} rows and the "
                    f"PDF in a BytesIO: {size_bytes / 1e6:.1f} MB); "
                    f"{size_bytes / COUNT:.0f} bytes a badge"
                ),
            )
        )
    ratio = per_badge["a4_8"] / per_badge["a6"]
    results.append(
        harness.figure(
            "A4 sheets of 8 / A6 single, time a badge",
            per_badge["a4_8"],
            per_badge["a6"],
            RUNS,
            target="<= 1.5x",
            notes=f"ratio {ratio:.2f} (the baseline column is the A6 ms per badge here)",
        )
    )
    return results


if __name__ == "__main__":
    for row in run():
        print(row)
