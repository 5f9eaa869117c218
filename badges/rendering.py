"""Badge PDFs: one badge per page (A6, A7, CR80) or A4 sheets of 4 or 8 with crop marks.

Names are drawn with `common.pdf` (font per script, Arabic/Persian shaped, shrink to fit);
the QR is vector, with a fixed version and mask (see BADGE_QR_VERSION). Each category's static parts
(colour bands, logo, congress and category names) are drawn once per document as a form
XObject and reused on every badge. Pages are compressed; the caller streams the output file.

Every line reads in the direction of its language (docs/pdf.md "Direction"): the name and
organisation in the holder's language, the Latin name left to right, the language's own name
in that language, and the rest (country, role, congress, category) in the document's; a line
with no letter written that way keeps its own direction (`common.pdf.value_direction`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO
from weakref import WeakKeyDictionary

from django.utils.translation import get_language, get_language_info
from django_countries import countries
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A6, A7
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from badges.models import BadgeTemplate
from common.pdf import (
    BOLD,
    LTR,
    REGULAR,
    CompactCanvas,
    direction_of_language,
    draw_qr,
    draw_text_in_box,
    value_direction,
)

Size = BadgeTemplate.Size
CR80 = (53.98 * mm, 85.6 * mm)
# Badge (cell) size and sheet layout: (badge width, badge height, columns, rows).
LAYOUTS = {
    Size.A6: (A6[0], A6[1], 1, 1),
    Size.A7: (A7[0], A7[1], 1, 1),
    Size.CR80: (CR80[0], CR80[1], 1, 1),
    Size.A4_4: (A4[0] / 2, A4[1] / 2, 2, 2),
    Size.A4_8: (A4[0] / 2, A4[1] / 4, 2, 4),
}
CROP_MARK = 4 * mm
# Office printers cannot print the outer 4-6 mm of a sheet: A4 sheets keep a blank margin
# (the organiser sets it on the badge template, 0-30 mm) and the badges share what is left.
DEFAULT_SHEET_MARGIN_MM = 10
MAX_SHEET_MARGIN_MM = 30
# Form XObjects already drawn in each open document: canvas -> {(style, category, size): name}.
_FORMS: WeakKeyDictionary = WeakKeyDictionary()


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows; built by `badges.queries.badge_rows` (privacy applied)."""

    registration_id: int
    token: str
    name: str
    latin_name: str
    organisation: str
    country: str
    category_id: int
    category: str
    role: str
    language: str
    colour: str


@dataclass
class BadgeStyle:
    """The parts of a template a badge needs, resolved per category."""

    congress_name: str
    colour: str
    text_colour: str = "#111111"
    fields: tuple[str, ...] = tuple(BadgeTemplate.DEFAULT_FIELDS)
    logo_path: str = ""
    size: str = Size.A6


# Every badge QR has the same version and mask, so qrcode never searches for them (the search
# builds the code eight times: ~2.4 ms of CPU a badge instead of ~0.3 ms). Tokens always have one
# length: `new_token()` is 16 random bytes, 22 URL-safe characters, i.e. 188 bits in byte mode.
# Version 2 at level M holds 26 bytes (version 1 holds 17 even at level L; version 2 at level
# Q holds 20), so 2-M is the smallest code, with the largest modules on a small badge, and
# the strongest error correction a badge token fits. Mask 2 (columns divisible by three) had
# the lowest ISO 18004 penalty score, on average and at worst, over 1,000 random tokens; it is
# also the mask qrcode's own search picks most often for them. A longer token would make
# qrcode raise DataOverflowError (tests/badges/test_rendering.py pins that tokens fit).
BADGE_QR_VERSION = 2
BADGE_QR_ERROR = "m"
BADGE_QR_MASK = 2


def _country_name(code: str) -> str:
    return _cached_country_name(code, get_language()) if code else ""


@lru_cache(maxsize=2048)
def _cached_country_name(code: str, _language: str | None) -> str:
    """The country's name in the active language (the language is part of the cache key)."""
    return str(countries.name(code))


@lru_cache(maxsize=512)
def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"] if code else ""
    except KeyError:
        return code


def _background(canvas: Canvas, style: BadgeStyle, badge: BadgeData, width, height) -> str:
    """Name of the form XObject with the badge's static parts, drawn once per document.

    The forms a document has are remembered per canvas (a style may serve several PDFs).
    """
    forms = _FORMS.setdefault(canvas, {})
    key = (id(style), badge.category_id, round(width), round(height))
    name = forms.get(key)
    if name:
        return name
    name = f"badge-bg-{len(forms)}-{badge.category_id}-{round(width)}x{round(height)}"
    document = direction_of_language(get_language())
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=width, uppery=height)
    accent = HexColor(badge.colour or style.colour)
    pad = width * 0.06
    band = height * (0.14 if height >= width else 0.2)
    canvas.setFillColor(accent)
    canvas.rect(0, height - band, width, band, stroke=0, fill=1)
    canvas.rect(0, 0, width, band * 0.6, stroke=0, fill=1)
    text_left = pad
    if style.logo_path:
        canvas.drawImage(
            style.logo_path,
            pad,
            height - band + band * 0.15,
            width=band * 0.7,
            height=band * 0.7,
            preserveAspectRatio=True,
            mask="auto",
        )
        text_left = pad + band * 0.8
    canvas.setFillColorRGB(1, 1, 1)
    draw_text_in_box(
        canvas,
        style.congress_name,
        x=text_left,
        y=height - band + band * 0.12,
        width=width - text_left - pad,
        height=band * 0.76,
        max_size=band * 0.32,
        weight=REGULAR,
        direction=value_direction(style.congress_name, document),
    )
    if "category" in style.fields or "role" in style.fields:
        label = badge.category if "category" in style.fields else badge.role
        draw_text_in_box(
            canvas,
            label,
            x=pad,
            y=band * 0.05,
            width=width - 2 * pad,
            height=band * 0.5,
            max_size=band * 0.3,
            max_lines=1,
            direction=value_direction(label, document),
        )
    canvas.endForm()
    forms[key] = name
    return name


def _lines(style: BadgeStyle, badge: BadgeData) -> list[tuple[str, str, float, str]]:
    """(text, weight, relative size, base direction) of each printed text field, in
    template order. The holder's language gives the direction of their name and
    organisation ("ACAT تونس (فرع 2)" reads right to left for an Arabic speaker); without
    one, the document's language does."""
    document = direction_of_language(get_language())
    holder = direction_of_language(badge.language) if badge.language else document
    lines = []
    for name in style.fields:
        if name == "name":
            lines.append((badge.name, BOLD, 1.0, value_direction(badge.name, holder)))
        elif name == "latin_name" and badge.latin_name and badge.latin_name != badge.name:
            lines.append((badge.latin_name, REGULAR, 0.55, LTR))
        elif name == "organisation" and badge.organisation:
            direction = value_direction(badge.organisation, holder)
            lines.append((badge.organisation, REGULAR, 0.42, direction))
        elif name == "country" and badge.country:
            country = _country_name(badge.country)
            lines.append((country, REGULAR, 0.38, value_direction(country, document)))
        elif name == "role" and "category" in style.fields and badge.role:
            lines.append((badge.role, REGULAR, 0.38, value_direction(badge.role, document)))
        elif name == "language" and badge.language:
            own = direction_of_language(badge.language)
            language = _language_name(badge.language)
            lines.append((language, REGULAR, 0.34, value_direction(language, own)))
    return lines


def draw_badge(canvas: Canvas, style: BadgeStyle, badge: BadgeData, x, y, width, height):
    """Draw one badge with its bottom-left corner at (x, y)."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(_background(canvas, style, badge, width, height))
    portrait = height >= width
    band = height * (0.14 if portrait else 0.2)
    pad = width * 0.06
    if portrait:
        qr_size = min(width * 0.5, height * 0.34)
        qr_x, qr_y = (width - qr_size) / 2, band * 0.6 + height * 0.03
        text_x, text_width = pad, width - 2 * pad
        text_bottom = qr_y + qr_size + height * 0.01
    else:
        qr_size = min(width * 0.36, (height - band * 1.6) * 0.98)
        qr_x, qr_y = width - pad - qr_size, band * 0.6 + (height - band * 1.6 - qr_size) / 2
        text_x, text_width = pad, width - 3 * pad - qr_size
        text_bottom = band * 0.6 + height * 0.02
    draw_qr(
        canvas,
        badge.token,
        x=qr_x,
        y=qr_y,
        size=qr_size,
        version=BADGE_QR_VERSION,
        error=BADGE_QR_ERROR,
        mask=BADGE_QR_MASK,
    )
    lines = _lines(style, badge)
    top = height - band - height * 0.02
    available = top - text_bottom
    total = sum(relative for _text, _weight, relative, _direction in lines) or 1
    unit = available / (total * 1.05)
    max_name = width * (0.11 if portrait else 0.075)
    canvas.setFillColor(HexColor(style.text_colour))
    for text, weight, relative, direction in lines:
        box = unit * relative * 1.05
        top -= box
        draw_text_in_box(
            canvas,
            text,
            x=text_x,
            y=top,
            width=text_width,
            height=box,
            max_size=min(max_name * relative, box * 0.8),
            weight=weight,
            max_lines=2 if relative >= 0.5 else 1,
            direction=direction,
        )
    canvas.restoreState()


def sheet_layout(size: str, margin_mm: float) -> tuple[float, float, int, int, float]:
    """(badge width, badge height, columns, rows, margin in points) of a page layout.

    Single-badge pages have no margin (the page is the badge). On A4 sheets the badges
    fill the page less `margin_mm` on every side, so nothing is printed in the margin.
    """
    badge_width, badge_height, columns, rows = LAYOUTS[size]
    if columns * rows == 1:
        return badge_width, badge_height, columns, rows, 0.0
    margin = max(0.0, min(float(margin_mm), MAX_SHEET_MARGIN_MM)) * mm
    return (
        (A4[0] - 2 * margin) / columns,
        (A4[1] - 2 * margin) / rows,
        columns,
        rows,
        margin,
    )


def _crop_marks(
    canvas: Canvas, columns: int, rows: int, width: float, height: float, margin: float = 0.0
) -> None:
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0, 0, 0)
    reach = CROP_MARK / 2
    for column in range(columns + 1):
        for row in range(rows + 1):
            x, y = margin + column * width, margin + row * height
            canvas.line(x - reach, y, x + reach, y)
            canvas.line(x, y - reach, x, y + reach)


def render_badges(
    *,
    badges: Iterable[BadgeData],
    style_for,
    size: str,
    out: BinaryIO,
    title: str = "",
    sheet_margin_mm: float = DEFAULT_SHEET_MARGIN_MM,
) -> int:
    """Write one PDF with every badge (in the given order) to `out`; return the badge count.

    `style_for(category_id)` returns the BadgeStyle of a category. Pages are compressed and
    the static parts are form XObjects, so each badge adds only its text and QR. A4 sheets
    leave `sheet_margin_mm` blank on every side (`sheet_layout`).
    """
    badge_width, badge_height, columns, rows, margin = sheet_layout(size, sheet_margin_mm)
    per_page = columns * rows
    page_size = A4 if per_page > 1 else (badge_width, badge_height)
    canvas = CompactCanvas(out, pagesize=page_size, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("congress badges")
    count = 0
    for badge in badges:
        slot = count % per_page
        column, row = slot % columns, slot // columns
        x = margin + column * badge_width
        y = page_size[1] - margin - (row + 1) * badge_height
        draw_badge(canvas, style_for(badge.category_id), badge, x, y, badge_width, badge_height)
        count += 1
        if count % per_page == 0:
            if per_page > 1:
                _crop_marks(canvas, columns, rows, badge_width, badge_height, margin)
            canvas.showPage()
    if count % per_page:
        if per_page > 1:
            _crop_marks(canvas, columns, rows, badge_width, badge_height, margin)
        canvas.showPage()
    canvas.save()
    return count
