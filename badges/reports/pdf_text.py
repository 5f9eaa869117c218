"""Local text helper for the attendance PDFs (certificates, printable report).

Follows /work/shared/PDF-TEXT.md: static instances of the pinned Noto variable fonts (made
once per process into a cache folder, never fetched), Arabic shaped and reordered with
arabic-reshaper + python-bidi before reportlab draws it, names normalised to NFC. The badges
app is building a shared module (congress/pdf/); once it exists this helper should give way
to it. Chinese/Japanese/Korean have no TrueType font shipped yet: such a name falls back to
its Latin-script form.
"""

import functools
import hashlib
import tempfile
import unicodedata
from pathlib import Path

import arabic_reshaper
import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

LATIN = "AttendanceNotoSans"
LATIN_BOLD = "AttendanceNotoSans-Bold"
ARABIC = "AttendanceNotoSansArabic"
ARABIC_BOLD = "AttendanceNotoSansArabic-Bold"

_SOURCES = {
    LATIN: (fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf", 400),
    LATIN_BOLD: (fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf", 700),
    ARABIC: (fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf", 400),
    ARABIC_BOLD: (
        fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf",
        700,
    ),
}


def _static_instance(name: str, source: Path, weight: int) -> Path:
    from fontTools.ttLib import TTFont as FontToolsFont
    from fontTools.varLib import instancer

    digest = hashlib.sha256(f"{source}:{source.stat().st_size}:{weight}".encode()).hexdigest()
    folder = Path(tempfile.gettempdir()) / "congress-attendance-fonts"
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}-{digest[:12]}.ttf"
    if not target.exists():
        font = FontToolsFont(source)
        static = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100})
        # Each embedded font needs its own PostScript name, or reportlab merges them.
        static["name"].setName(name, 6, 3, 1, 0x409)
        static["name"].setName(name, 6, 1, 0, 0)
        partial = target.with_suffix(".tmp")
        static.save(partial)
        partial.replace(target)
    return target


@functools.cache
def register_fonts() -> None:
    """Register the four fonts with reportlab (once per process)."""
    for name, (source, weight) in _SOURCES.items():
        pdfmetrics.registerFont(TTFont(name, str(_static_instance(name, source, weight))))


def _is_arabic(character: str) -> bool:
    return (
        "\u0600" <= character <= "\u06ff"
        or "\u0750" <= character <= "\u08ff"
        or ("\ufb50" <= character <= "\ufefc")
    )


def _is_cjk(character: str) -> bool:
    return (
        "\u3040" <= character <= "\u30ff"
        or "\u3400" <= character <= "\u9fff"
        or "\uac00" <= character <= "\ud7af"
        or "\u1100" <= character <= "\u11ff"
    )


def has_cjk(text: str) -> bool:
    return any(_is_cjk(character) for character in text)


def prepare(text: str, *, bold: bool = False) -> tuple[str, str]:
    """(visual text, font name) ready for canvas.drawString."""
    register_fonts()
    text = unicodedata.normalize("NFC", text)
    if any(_is_arabic(character) for character in text):
        return get_display(arabic_reshaper.reshape(text)), ARABIC_BOLD if bold else ARABIC
    return text, LATIN_BOLD if bold else LATIN


def display_name(name: str, latin_name: str) -> str:
    """The name to print: own script, unless it needs a font we do not ship (CJK)."""
    if has_cjk(name) and latin_name:
        return latin_name
    return name


def draw_centred(canvas, text: str, x: float, y: float, size: float, *, bold=False) -> None:
    visual, font = prepare(text, bold=bold)
    canvas.setFont(font, size)
    canvas.drawCentredString(x, y, visual)


def draw(canvas, text: str, x: float, y: float, size: float, *, bold=False, rtl=False) -> None:
    """Draw at x (start edge); with rtl=True x is the right edge."""
    visual, font = prepare(text, bold=bold)
    canvas.setFont(font, size)
    if rtl:
        canvas.drawRightString(x, y, visual)
    else:
        canvas.drawString(x, y, visual)
