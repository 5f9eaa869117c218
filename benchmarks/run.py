"""Run every benchmarks/bench_*.py and rewrite BENCHMARKS.md."""

import datetime
import importlib
import os
import platform
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import harness  # noqa: E402


def _versions() -> str:
    import django
    import reportlab

    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"reportlab {reportlab.Version}"
    )


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    only = sys.argv[1:]
    harness.setup_django()
    modules = sorted(path.stem for path in HERE.glob("bench_*.py"))
    if only:
        modules = [name for name in modules if any(part in name for part in only)]
    sections = []
    failed = False
    for name in modules:
        print(f"running {name} ...", flush=True)
        try:
            results = importlib.import_module(name).run()
        except Exception:
            failed = True
            traceback.print_exc()
            sections.append(f"## {name}\n\nFAILED: see the output of `make bench`.\n")
            continue
        rows = [
            "| figure | median | baseline | ratio | runs | target | notes |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
        for result in results:
            baseline = result.get("baseline_ms") or 0
            ratio = f"{result['median_ms'] / baseline:.1f}x" if baseline else "-"
            rows.append(
                f"| {result['name']} | {result['median_ms']:.2f} ms | {baseline:.2f} ms | "
                f"{ratio} | {result.get('runs', '')} | {result.get('target', '')} | "
                f"{result.get('notes', '')} |"
            )
            print(f"  {rows[-1]}")
        doc = (importlib.import_module(name).__doc__ or "").strip()
        sections.append(f"## {name}\n\n{doc}\n\n" + "\n".join(rows) + "\n")
    database = "PostgreSQL" if "postgres" in os.environ.get("DATABASE_URL", "") else "SQLite"
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (benchmarks/run.py); do not edit by hand.\n\n"
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}\n"
        f"- Machine: {_machine()}\n"
        f"- Versions: {_versions()}\n"
        f"- Database: {database}\n"
        "- Figures are medians of several runs; the baseline is `GET /livez` through the whole\n"
        "  middleware stack measured in the same process, and the ratio is median / baseline.\n\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(header + "\n".join(sections))
    print("wrote BENCHMARKS.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
