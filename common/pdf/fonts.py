"""Fonts for PDFs: static instances of pinned OFL variable fonts, registered with reportlab.

reportlab draws a variable font's default instance (Noto Sans CJK's default is the thinnest
weight) and loads only TrueType outlines, so every family used here is turned into a static
TrueType instance once per machine with ``fontTools.varLib.instancer`` and cached on disk.
Sources are pinned PyPI packages (``fontpkg-noto-sans``, ``fontpkg-noto-sans-arabic``,
``justmytype-intl-cjk``); nothing is downloaded at run time. Licences: ``common/pdf/fonts/``.

The cache directory is ``$PDF_FONT_CACHE_DIR`` or ``$XDG_CACHE_HOME/congress-pdf-fonts``
(``~/.cache/congress-pdf-fonts``). Warm it ahead of time (a CJK instance takes ~20 s of CPU;
missing instances are made in parallel, one process per CPU) with ``python -m common.pdf.fonts``;
``make test`` does it before the tests.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "regular"
BOLD = "bold"
WEIGHTS = {REGULAR: 400, BOLD: 700}

# Bump when the way instances are made changes, so stale cache files are not reused.
_CACHE_VERSION = "1"


@dataclass(frozen=True)
class FontFamily:
    """One pinned variable font and the PostScript stem its static instances get."""

    key: str
    package: str
    relative_path: str
    postscript_stem: str

    def source_path(self) -> Path:
        return Path(str(files(self.package).joinpath(self.relative_path)))


SANS = "sans"  # Latin (with diacritics, Vietnamese), Greek, Cyrillic
ARABIC = "arabic"  # Arabic, Persian, Urdu
CJK_SC = "sc"  # Chinese (Simplified; also covers most Traditional Han)
CJK_TC = "tc"  # Chinese (Traditional), on request only
CJK_JP = "jp"  # Japanese (kana, and Han in Japanese glyph forms)
CJK_KR = "kr"  # Korean (Hangul)

FAMILIES: dict[str, FontFamily] = {
    family.key: family
    for family in (
        FontFamily(SANS, "fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf", "NotoSans"),
        FontFamily(
            ARABIC,
            "fontpkg_noto_sans_arabic",
            "files/NotoSansArabic[wdth,wght].ttf",
            "NotoSansArabic",
        ),
        FontFamily(
            CJK_SC,
            "justmytype_intl_cjk",
            "fonts/ofl/notosanssc/NotoSansSC[wght].ttf",
            "NotoSansSC",
        ),
        FontFamily(
            CJK_TC,
            "justmytype_intl_cjk",
            "fonts/ofl/notosanstc/NotoSansTC[wght].ttf",
            "NotoSansTC",
        ),
        FontFamily(
            CJK_JP,
            "justmytype_intl_cjk",
            "fonts/ofl/notosansjp/NotoSansJP[wght].ttf",
            "NotoSansJP",
        ),
        FontFamily(
            CJK_KR,
            "justmytype_intl_cjk",
            "fonts/ofl/notosanskr/NotoSansKR[wght].ttf",
            "NotoSansKR",
        ),
    )
}

_lock = threading.RLock()
_registered: dict[tuple[str, str], TTFont] = {}


def cache_dir() -> Path:
    """Directory holding the static instances (created on demand)."""
    configured = os.environ.get("PDF_FONT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "congress-pdf-fonts"


def font_name(family: str, weight: str = REGULAR) -> str:
    """The reportlab font name of a family and weight (also its PostScript name)."""
    return f"{FAMILIES[family].postscript_stem}-{weight.capitalize()}"


def _cached_path(family: str, weight: str) -> Path:
    source = FAMILIES[family].source_path()
    return cache_dir() / (
        f"{font_name(family, weight)}-{source.stat().st_size}-v{_CACHE_VERSION}.ttf"
    )


def static_instance_path(family: str, weight: str = REGULAR) -> Path:
    """Path of the static TrueType instance, making it first if it is not cached yet.

    Guarantees: the file is written atomically (temporary file + rename), so parallel
    processes never read a half-written font; each instance has its own PostScript name.
    """
    target = _cached_path(family, weight)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    font = _make_instance(
        source=FAMILIES[family].source_path(),
        weight=WEIGHTS[weight],
        postscript_name=font_name(family, weight),
    )
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the cache may be shared
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _make_instance(*, source: Path, weight: int, postscript_name: str):
    from fontTools.ttLib import TTFont as ToolsFont
    from fontTools.varLib import instancer

    variable = ToolsFont(str(source))
    location = {}
    for axis in variable["fvar"].axes:
        if axis.axisTag == "wght":
            location["wght"] = max(axis.minValue, min(axis.maxValue, weight))
        else:
            location[axis.axisTag] = axis.defaultValue
    font = instancer.instantiateVariableFont(variable, location)
    # A unique PostScript name (name ID 6): two embedded fonts sharing one are merged.
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = postscript_name
    return font


def register(family: str, weight: str = REGULAR) -> str:
    """Register a family/weight with reportlab once per process; return its font name."""
    key = (family, weight)
    name = font_name(family, weight)
    if key in _registered:
        return name
    with _lock:
        if key not in _registered:
            path = static_instance_path(family, weight)
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            _registered[key] = font
    return name


def covers(family: str, weight: str, character: str) -> bool:
    """Whether the family's font has a glyph for the character (registers it if needed)."""
    register(family, weight)
    return ord(character) in _registered[(family, weight)].face.charToGlyph


# Every family the text module may fall back to (TC is used on request only).
WARM_FAMILIES = (SANS, ARABIC, CJK_SC, CJK_JP, CJK_KR)


def missing(families: tuple[str, ...] = WARM_FAMILIES) -> list[tuple[str, str]]:
    """The (family, weight) pairs whose static instance is not in the cache yet."""
    return [
        (family, weight)
        for family in families
        for weight in WEIGHTS
        if not _cached_path(family, weight).exists()
    ]


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def warm(
    families: tuple[str, ...] = WARM_FAMILIES,
    *,
    report: Callable[[Path, float], None] | None = None,
) -> list[Path]:
    """Make every static instance now (deployment step); return their paths.

    Missing instances are made in parallel, one process per available CPU, largest source
    first; `report(path, seconds since the start)` is called as each one is made.
    """
    todo = sorted(
        missing(families),
        key=lambda pair: FAMILIES[pair[0]].source_path().stat().st_size,
        reverse=True,
    )
    processes = min(len(todo), _available_cpus())
    started = time.monotonic()
    if processes > 1:
        # Fresh interpreters, not forks: the caller may have threads (a test server, a pool).
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=processes, mp_context=spawn) as pool:
            jobs = [pool.submit(static_instance_path, *pair) for pair in todo]
            for job in as_completed(jobs):
                path = job.result()
                if report is not None:
                    report(path, time.monotonic() - started)
    else:
        for pair in todo:
            path = static_instance_path(*pair)
            if report is not None:
                report(path, time.monotonic() - started)
    return [static_instance_path(family, weight) for family in families for weight in WEIGHTS]


def main() -> None:
    """`python -m common.pdf.fonts`: make the missing instances, say where they are."""
    todo = missing()
    if todo:
        print(
            f"PDF fonts: making {len(todo)} static instances in {cache_dir()} "
            "(a CJK weight takes about 20 s of CPU)...",
            file=sys.stderr,
            flush=True,
        )

    def report(path: Path, seconds: float) -> None:
        print(f"  made {path.name} at {seconds:.0f} s", file=sys.stderr, flush=True)

    paths = warm(report=report)
    print(f"PDF fonts: {len(paths)} static instances ready in {cache_dir()}")


if __name__ == "__main__":
    main()
