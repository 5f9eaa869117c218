"""Printable programme and agenda (A4) drawn with reportlab through the shared `common.pdf`
text module: the font is chosen per run of one script (Latin, Arabic, Chinese, Japanese,
Korean), Arabic and Persian are shaped and put in visual order, and text is normalised to NFC
before it is measured (docs/pdf.md).

Long lines wrap at spaces; a single word wider than the page shrinks to fit
(`common.pdf.fit_text`) instead of running off the paper. In Arabic (a right-to-left
language) the page is mirrored: times at the right margin, lines aligned to the right.

Every line reads in the direction of the document's language (docs/pdf.md "Direction"):
sentences built from a translation take it and isolate the values put into them (a room
name, a time); a value on its own line (a title, a speaker's name) takes it when it has a
letter written that way (`common.pdf.value_direction`).
"""

import datetime
import io
from collections.abc import Iterable

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from common.i18n import localized
from common.pdf import (
    BOLD,
    REGULAR,
    RTL,
    PreparedText,
    direction_of_language,
    draw_line,
    fit_text,
    isolate,
    prepare_text,
    value_direction,
)
from congress.models import Congress
from sessions.models import Session
from sessions.queries import interpretation_channels

MARGIN = 15 * mm
INDENT = 24 * mm  # titles and details sit right of the time column


def wrap(
    text: str, *, width: float, size: float, weight: str, direction: str | None = None
) -> list[tuple[PreparedText, float]]:
    """Break `text` at spaces into lines no wider than `width` at `size`: (line, size) pairs,
    each of base `direction` (None: its first letter's).

    A single word wider than `width` is drawn smaller so that it still fits.
    """
    lines: list[tuple[PreparedText, float]] = []
    current = ""
    fit = {"direction": direction}
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and prepare_text(candidate, weight, direction).unit_width * size > width:
            lines.append(_fitted(current, width=width, size=size, weight=weight, **fit))
            current = word
        else:
            current = candidate
    if current:
        lines.append(_fitted(current, width=width, size=size, weight=weight, **fit))
    return lines


def _fitted(
    text: str, *, width: float, size: float, weight: str, direction: str | None
) -> tuple[PreparedText, float]:
    line = prepare_text(text, weight, direction)
    if line.unit_width * size <= width:
        return line, size
    layout = fit_text(
        text,
        width=width,
        height=size * 2,
        max_size=size,
        max_lines=1,
        weight=weight,
        direction=direction,
    )
    return layout.lines[0], layout.size


class _Writer:
    def __init__(self, canvas: Canvas, *, direction: str) -> None:
        self.canvas = canvas
        self.direction = direction
        self.is_rtl = direction == RTL
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
        is_value: bool = False,
    ) -> None:
        """Draw `text` wrapped; an optional `label` (a time) sits at the start margin of the
        first line. In a right-to-left document (Arabic) the layout is mirrored: lines start
        at the right margin, so a Latin name sits under the Arabic ones, and vice versa.

        `text` and `label` read in the document's direction; a value on its own line
        (`is_value`: a title, a name) only when it has a letter written that way."""
        width = self.width - 2 * MARGIN - indent
        direction = value_direction(text, self.direction) if is_value else self.direction
        for line, line_size in wrap(
            text, width=width, size=size, weight=weight, direction=direction
        ) or [(prepare_text("", weight), size)]:
            self.need(size * gap)
            self.y -= size * gap
            if label:
                self._draw(prepare_text(label, REGULAR, self.direction), size=size, indent=0)
                label = ""
            self._draw(line, size=line_size, indent=indent)

    def _draw(self, line: PreparedText, *, size: float, indent: float) -> None:
        if self.is_rtl:
            x = self.width - MARGIN - indent - line.unit_width * size
        else:
            x = MARGIN + indent
        draw_line(self.canvas, line, x=x, y=self.y, size=size)


def channel_line(channels: list[tuple[str, int]]) -> str:
    """ "Interpretation channels: English 1 · Français 2 · العربية 3" in the active language,
    each channel isolated (`common.pdf.isolate`)."""
    names = dict(settings.WORKING_LANGUAGES)
    return gettext("Interpretation channels: %(channels)s") % {
        "channels": " · ".join(
            isolate(
                gettext("%(language)s %(channel)s")
                % {"language": isolate(names.get(language, language)), "channel": channel}
            )
            for language, channel in channels
        )
    }


def time_range(starts: datetime.datetime, ends: datetime.datetime) -> str:
    """Start and end times joined by an en dash: a sentence of the active language with
    each time isolated, so in Arabic the start time is read first, on the right."""
    # Translators: a session's start and end times, e.g. "09:00" and "10:30" joined by an
    # en dash with no spaces.
    return gettext("%(start)s–%(end)s") % {  # noqa: RUF001 - an en dash is right here
        "start": isolate(f"{starts:%H:%M}"),
        "end": isolate(f"{ends:%H:%M}"),
    }


def details_line(session: Session) -> str:
    """Kind · room · track, each isolated: a room named "Salle Mandela (B2)" keeps its own
    order inside an Arabic line."""
    details = [session.get_kind_display()]
    if session.room is not None:
        details.append(session.room.name)
    if session.track is not None:
        details.append(localized(session.track.name, session.track.name_translations))
    return " · ".join(isolate(detail) for detail in details)


def render_programme_pdf(*, congress: Congress, sessions: Iterable[Session], title: str) -> bytes:
    """An A4 programme: one heading per day, then time, title, type, room, track, speakers.

    `sessions` come from `programme_sessions()` (public speakers prefetched). Rendered in the
    active language; times in the congress's time zone.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    writer = _Writer(canvas, direction=direction_of_language(get_language()))
    writer.line(title, size=16, weight=BOLD)
    writer.line(localized(congress.name, congress.name_translations), size=12, is_value=True)
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
            label=time_range(starts, ends),
            weight=BOLD,
            is_value=True,
        )
        writer.line(details_line(session), size=8.5, indent=INDENT)
        session_channels = channels.for_session(session)
        if session_channels:
            writer.line(channel_line(session_channels), size=8.5, indent=INDENT)
        names = [speaker.person.name for speaker in session.public_speakers]
        if names:
            writer.line(speakers_label, size=8.5, indent=INDENT)
            for name in names:
                writer.line(name, size=8.5, indent=INDENT + 4 * mm, is_value=True)
    canvas.save()
    return buffer.getvalue()
