"""Printable programme (A4) drawn with reportlab.

Text in Arabic script is shaped (arabic_reshaper) and reordered (python-bidi) before it is
drawn with Noto Sans Arabic; other text uses Noto Sans (Latin, Cyrillic, Vietnamese). The font
is chosen per string (reportlab has no per-glyph fallback). A small local helper: the shared
`congress/pdf/` text module did not exist on main when this was written.
"""

import io
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import arabic_reshaper
import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from bidi import get_display
from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from congress.i18n import localized
from congress.models import Congress
from sessions.models import Session

LATIN_FONT = "NotoSans"
ARABIC_FONT = "NotoSansArabic"
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
MARGIN = 15 * mm


@cache
def register_fonts() -> None:
    """Register the two Noto fonts once per process (default instances of the variable
    fonts: Regular weight)."""
    latin = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
    arabic = fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf"
    pdfmetrics.registerFont(TTFont(LATIN_FONT, str(latin)))
    pdfmetrics.registerFont(TTFont(ARABIC_FONT, str(arabic)))


def visual_text(text: str) -> tuple[str, str]:
    """(text ready to draw, font): NFC-normalised; Arabic script shaped and bidi-reordered."""
    text = unicodedata.normalize("NFC", text)
    if _ARABIC.search(text):
        return get_display(arabic_reshaper.reshape(text)), ARABIC_FONT
    return text, LATIN_FONT


def wrap(text: str, *, width: float, size: float) -> list[tuple[str, str]]:
    """Split logical text into lines that fit `width`, then make each line drawable."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        visual, font = visual_text(candidate)
        if current and stringWidth(visual, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return [visual_text(line) for line in lines]


class _Writer:
    def __init__(self, canvas: Canvas, title: str) -> None:
        self.canvas = canvas
        self.title = title
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.canvas.showPage()
            self.y = self.height - MARGIN

    def line(
        self,
        text: str,
        *,
        size: float = 10,
        indent: float = 0,
        gap: float = 1.35,
        label: str = "",
    ) -> None:
        """Draw `text` wrapped; an optional Latin `label` (a time) sits at the margin of the
        first line. Arabic-script lines are aligned to the right margin."""
        width = self.width - 2 * MARGIN - indent
        for visual, font in wrap(text, width=width, size=size) or [("", LATIN_FONT)]:
            self.need(size * gap)
            self.y -= size * gap
            if label:
                self.canvas.setFont(LATIN_FONT, size)
                self.canvas.drawString(MARGIN, self.y, label)
                label = ""
            self.canvas.setFont(font, size)
            if font == ARABIC_FONT:
                self.canvas.drawRightString(self.width - MARGIN, self.y, visual)
            else:
                self.canvas.drawString(MARGIN + indent, self.y, visual)


def render_programme_pdf(*, congress: Congress, sessions: Iterable[Session], title: str) -> bytes:
    """An A4 programme: one heading per day, then time, title, room, track and speakers."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    writer = _Writer(canvas, title)
    writer.line(title, size=16)
    writer.line(localized(congress.name, congress.name_translations), size=12)
    tz = congress.tzinfo
    current_day = None
    for session in sessions:
        starts = timezone.localtime(session.starts_at, tz)
        ends = timezone.localtime(session.ends_at, tz)
        if starts.date() != current_day:
            current_day = starts.date()
            writer.y -= 6
            writer.line(starts.strftime("%Y-%m-%d"), size=13)
        writer.need(40)
        writer.y -= 4
        writer.line(
            localized(session.title, session.title_translations),
            size=10.5,
            indent=24 * mm,
            label=f"{starts:%H:%M}\N{EN DASH}{ends:%H:%M}",
        )
        details = [session.get_kind_display()]
        if session.room is not None:
            details.append(session.room.name)
        if session.track is not None:
            details.append(localized(session.track.name, session.track.name_translations))
        writer.line(" · ".join(details), size=8.5, indent=24 * mm)
        names = [speaker.person.name for speaker in session.public_speakers]
        if names:
            writer.line(gettext("Speakers:"), size=8.5, indent=24 * mm)
            for name in names:
                writer.line(name, size=8.5, indent=28 * mm)
    canvas.save()
    return buffer.getvalue()
