"""Printable programme and agenda (A4) drawn with reportlab through the shared `common.pdf`
text module: the font is chosen per run of one script (Latin, Arabic, Chinese, Japanese,
Korean), Arabic and Persian are shaped and put in visual order, and text is normalised to NFC
before it is measured (docs/pdf.md).

Long lines wrap at spaces; a single word wider than the page shrinks to fit
(`common.pdf.fit_text`) instead of running off the paper. In Arabic (a right-to-left
language) the page is mirrored: times at the right margin, lines aligned to the right.
"""

import io
from collections.abc import Iterable

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language_bidi, gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from common.i18n import localized
from common.pdf import BOLD, REGULAR, PreparedText, draw_line, fit_text, prepare_text
from congress.models import Congress
from sessions.models import Session
from sessions.queries import interpretation_channels

MARGIN = 15 * mm
INDENT = 24 * mm  # titles and details sit right of the time column


def wrap(text: str, *, width: float, size: float, weight: str) -> list[tuple[PreparedText, float]]:
    """Break `text` at spaces into lines no wider than `width` at `size`: (line, size) pairs.

    A single word wider than `width` is drawn smaller so that it still fits.
    """
    lines: list[tuple[PreparedText, float]] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and prepare_text(candidate, weight).unit_width * size > width:
            lines.append(_fitted(current, width=width, size=size, weight=weight))
            current = word
        else:
            current = candidate
    if current:
        lines.append(_fitted(current, width=width, size=size, weight=weight))
    return lines


def _fitted(text: str, *, width: float, size: float, weight: str) -> tuple[PreparedText, float]:
    line = prepare_text(text, weight)
    if line.unit_width * size <= width:
        return line, size
    layout = fit_text(text, width=width, height=size * 2, max_size=size, max_lines=1, weight=weight)
    return layout.lines[0], layout.size


class _Writer:
    def __init__(self, canvas: Canvas, *, is_rtl: bool) -> None:
        self.canvas = canvas
        self.is_rtl = is_rtl
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
        weight: str = REGULAR,
    ) -> None:
        """Draw `text` wrapped; an optional `label` (a time) sits at the start margin of the
        first line. In a right-to-left document (Arabic) the layout is mirrored: lines start
        at the right margin, so a Latin name sits under the Arabic ones, and vice versa."""
        width = self.width - 2 * MARGIN - indent
        for line, line_size in wrap(text, width=width, size=size, weight=weight) or [
            (prepare_text("", weight), size)
        ]:
            self.need(size * gap)
            self.y -= size * gap
            if label:
                self._draw(prepare_text(label, REGULAR), size=size, indent=0)
                label = ""
            self._draw(line, size=line_size, indent=indent)

    def _draw(self, line: PreparedText, *, size: float, indent: float) -> None:
        if self.is_rtl:
            x = self.width - MARGIN - indent - line.unit_width * size
        else:
            x = MARGIN + indent
        draw_line(self.canvas, line, x=x, y=self.y, size=size)


def channel_line(channels: list[tuple[str, int]]) -> str:
    """ "Interpretation channels: English 1 · Français 2 · العربية 3" in the active language."""
    names = dict(settings.WORKING_LANGUAGES)
    return gettext("Interpretation channels: %(channels)s") % {
        "channels": " · ".join(
            gettext("%(language)s %(channel)s")
            % {"language": str(names.get(language, language)), "channel": channel}
            for language, channel in channels
        )
    }


def render_programme_pdf(*, congress: Congress, sessions: Iterable[Session], title: str) -> bytes:
    """An A4 programme: one heading per day, then time, title, type, room, track, speakers.

    `sessions` come from `programme_sessions()` (public speakers prefetched). Rendered in the
    active language; times in the congress's time zone.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    writer = _Writer(canvas, is_rtl=get_language_bidi())
    writer.line(title, size=16, weight=BOLD)
    writer.line(localized(congress.name, congress.name_translations), size=12)
    tz = congress.tzinfo
    speakers_label = gettext("Speakers:")
    channels = interpretation_channels(congress=congress)
    current_day = None
    for session in sessions:
        starts = timezone.localtime(session.starts_at, tz)
        ends = timezone.localtime(session.ends_at, tz)
        if starts.date() != current_day:
            current_day = starts.date()
            writer.y -= 6
            writer.line(formats.date_format(current_day, "l j F Y"), size=13, weight=BOLD)
        writer.need(40)
        writer.y -= 4
        writer.line(
            localized(session.title, session.title_translations),
            size=10.5,
            indent=INDENT,
            label=f"{starts:%H:%M}\N{EN DASH}{ends:%H:%M}",
            weight=BOLD,
        )
        details = [session.get_kind_display()]
        if session.room is not None:
            details.append(session.room.name)
        if session.track is not None:
            details.append(localized(session.track.name, session.track.name_translations))
        writer.line(" · ".join(details), size=8.5, indent=INDENT)
        session_channels = channels.for_session(session)
        if session_channels:
            writer.line(channel_line(session_channels), size=8.5, indent=INDENT)
        names = [speaker.person.name for speaker in session.public_speakers]
        if names:
            writer.line(speakers_label, size=8.5, indent=INDENT)
            for name in names:
                writer.line(name, size=8.5, indent=INDENT + 4 * mm)
    canvas.save()
    return buffer.getvalue()
