"""Draw people's names in any script with reportlab: right font, shaped, never overflowing.

Rules (docs/pdf.md): text is normalised to NFC; the font is chosen per run
of one script, since reportlab has no per-glyph fallback; Arabic and Persian are shaped with
``arabic_reshaper`` and put in visual order with ``python-bidi`` before measuring; a text that
is too long shrinks (and may wrap at spaces) so it is never cut or drawn outside its box.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import arabic_reshaper
from bidi import get_display
from bidi.mirror import MIRRORED
from django.utils import translation
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from common.pdf import fonts

_FALLBACK_ORDER = (fonts.SANS, fonts.ARABIC, fonts.CJK_SC, fonts.CJK_JP, fonts.CJK_KR)
# Line height and baseline position as fractions of the font size (Noto metrics).
LINE_HEIGHT = 1.22
_BASELINE_FROM_LINE_TOP = 0.92

_reshaper = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": True}
)


# Base direction of a line (docs/pdf.md "Direction"): from the language the line is written
# in, never guessed from its first letter, so an Arabic line that starts with a Latin name
# or a number still reads right to left, and an English line starting with an Arabic name
# still reads left to right.
RTL = "rtl"
LTR = "ltr"
# First strong isolate / pop directional isolate: `isolate()` wraps each value put into a
# translated sentence, so a name or "1 h 30" keeps its own order inside the line.
_FSI, _PDI = "\u2068", "\u2069"
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"))
_DEBUG_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@lru_cache(maxsize=64)
def direction_of_language(language: str | None) -> str:
    """RTL for Arabic, Persian, Hebrew and Urdu (Django's language info), else LTR."""
    try:
        info = translation.get_language_info(language or "")
    except KeyError:
        return LTR
    return RTL if info["bidi"] else LTR


def value_direction(text: str, direction: str) -> str:
    """Base direction of a value on a line of its own (a name, an organisation, a room, a
    table cell) in a document or for a reader of `direction`.

    The reader's direction when the value has a letter written that way: for an Arabic
    reader "ACAT تونس (فرع 2)" reads right to left although it starts with a Latin word.
    A value with no such letter cannot be read in that direction and keeps its own (its
    first letter's): "Amnesty International (France)" on an Arabic badge or report stays
    left to right, as it would inside an `isolate()`; numbers alone read left to right.
    """
    wanted = ("R", "AL") if direction == RTL else ("L",)
    if any(unicodedata.bidirectional(character) in wanted for character in text):
        return direction
    return _first_strong_direction(text)


def isolate(value: object) -> str:
    """`value` as a bidi isolate, for interpolation into a translated line: its own
    direction (from its first letter) never reorders the words around it."""
    return f"{_FSI}{value}{_PDI}"


def _mirror_rtl_brackets(text: str, base: str) -> str:
    """Mirror brackets that will be drawn right to left: python-bidi (0.6) reorders but
    does not mirror, so "شارك(ت)" would print as "شارك)ت(". The levels come from its
    debug report (one level per UTF-8 byte)."""
    report = get_display(text, base_dir=base, debug=True)
    block = report[report.index("levels:") : report.index("paragraphs:")]
    levels = [int(level) for level in _DEBUG_LEVEL.findall(block)]
    mirrored = []
    offset = 0
    for character in text:
        odd = levels[offset] % 2 if offset < len(levels) else 0
        mirrored.append(MIRRORED.get(character, character) if odd else character)
        offset += len(character.encode())
    return "".join(mirrored)


def _visual_order(text: str, direction: str) -> str:
    """Shaped text in visual (left-to-right) order, for a line of base `direction`."""
    base = "R" if direction == RTL else "L"
    shaped = _reshaper.reshape(text)
    if any(character in MIRRORED for character in shaped):
        shaped = _mirror_rtl_brackets(shaped, base)
    return get_display(shaped, base_dir=base).translate(_BIDI_CONTROLS)


def _script_family(character: str) -> str | None:
    """The family a character's script needs, or None for Latin-like and neutral ones."""
    code = ord(character)
    if code < 0x0590:
        return None
    if 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return fonts.ARABIC
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF:
        return fonts.CJK_KR
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return fonts.CJK_JP
    if (
        0x2E80 <= code <= 0x2FDF
        or 0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFF65
        or 0x20000 <= code <= 0x3FFFF
    ):
        return "han"
    return None


def _is_neutral(character: str) -> bool:
    """Spaces, punctuation, digits and combining marks follow the run they sit in."""
    return unicodedata.category(character)[0] in "ZPNSM"


def _has_rtl(text: str) -> bool:
    return any(_script_family(character) == fonts.ARABIC for character in text)


@dataclass(frozen=True)
class Run:
    """A piece of text in visual order drawn with one font; ``unit_width`` is at size 1."""

    font_name: str
    text: str
    unit_width: float


@dataclass(frozen=True)
class PreparedText:
    """A single line ready to draw: runs in visual (left-to-right) order."""

    source: str
    runs: tuple[Run, ...]
    is_rtl: bool

    @property
    def unit_width(self) -> float:
        return sum(run.unit_width for run in self.runs)

    @property
    def visual_text(self) -> str:
        """The characters as drawn (what a PDF text extractor reads back)."""
        return "".join(run.text for run in self.runs)


def _first_strong_direction(text: str) -> str:
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return RTL
        if kind == "L":
            return LTR
    return LTR


def visual_form(text: str, direction: str | None = None) -> str:
    """What ``prepare_text`` draws for ``text``: NFC, shaped and in visual order."""
    text = unicodedata.normalize("NFC", text)
    direction = direction or _first_strong_direction(text)
    if _has_rtl(text) or direction == RTL:
        return _visual_order(text, direction)
    return text.translate(_BIDI_CONTROLS)


@lru_cache(maxsize=8192)
def prepare_text(text: str, weight: str = fonts.BOLD, direction: str | None = None) -> PreparedText:
    """Normalise, shape, reorder and split a one-line text into font runs.

    `direction` is the line's base direction (RTL or LTR, from the language the line is
    written in: `direction_of_language`); None takes it from the first letter, which is
    right for a name on its own but not for a sentence. Values interpolated into a sentence
    should be wrapped with `isolate()`.

    Guarantees: every character is drawn with the first font that has a glyph for it,
    preferring the font of its script; Han characters use the Japanese font when the text
    has kana, the Korean font when it has Hangul, the Chinese font otherwise; brackets in
    right-to-left runs are mirrored; bidi control characters are never drawn.
    """
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    direction = direction or _first_strong_direction(normalised)
    is_rtl = direction == RTL
    if _has_rtl(normalised) or is_rtl:
        visual = _visual_order(normalised, direction)
    else:
        visual = normalised.translate(_BIDI_CONTROLS)
    # The source keeps its isolates (wrapping splits it into words and prepares each
    # line again); the visual text never contains a control character.
    han_family = fonts.CJK_SC
    scripts = {_script_family(character) for character in normalised}
    if fonts.CJK_JP in scripts:
        han_family = fonts.CJK_JP
    elif fonts.CJK_KR in scripts:
        han_family = fonts.CJK_KR
    families = [_family_for(character, weight, han_family) for character in visual]
    _attach_neutrals(visual, families, weight)
    runs: list[Run] = []
    start = 0
    for index in range(1, len(visual) + 1):
        if index == len(visual) or families[index] != families[start]:
            name = fonts.register(families[start], weight)
            piece = visual[start:index]
            runs.append(Run(name, piece, stringWidth(piece, name, 1.0)))
            start = index
    return PreparedText(source=normalised, runs=tuple(runs), is_rtl=is_rtl)


def _family_for(character: str, weight: str, han_family: str) -> str:
    wanted = _script_family(character)
    if wanted == "han":
        wanted = han_family
    wanted = wanted or fonts.SANS
    if wanted == fonts.SANS and ord(character) < 0x0250:
        return wanted  # Basic Latin and Latin-1/Extended-A/B are in Noto Sans
    if fonts.covers(wanted, weight, character):
        return wanted
    for family in _FALLBACK_ORDER:
        if family != wanted and fonts.covers(family, weight, character):
            return family
    return wanted


def _attach_neutrals(visual: str, families: list[str], weight: str) -> None:
    """Draw neutral characters with a neighbouring run's font when that font has them."""
    for index, character in enumerate(visual):
        if not _is_neutral(character):
            continue
        neighbour = None
        for other in range(index - 1, -1, -1):
            if not _is_neutral(visual[other]):
                neighbour = families[other]
                break
        if neighbour is None:
            for other in range(index + 1, len(visual)):
                if not _is_neutral(visual[other]):
                    neighbour = families[other]
                    break
        if (
            neighbour
            and neighbour != families[index]
            and fonts.covers(neighbour, weight, character)
        ):
            families[index] = neighbour


@dataclass(frozen=True)
class TextLayout:
    """Lines (top to bottom) and the one font size that fits them all in the box."""

    lines: tuple[PreparedText, ...]
    size: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE_HEIGHT

    def width(self) -> float:
        return max((line.unit_width for line in self.lines), default=0.0) * self.size


def _size_for(lines: list[PreparedText], width: float, height: float, max_size: float) -> float:
    widest = max((line.unit_width for line in lines), default=0.0)
    size = max_size
    if widest > 0:
        size = min(size, width / widest)
    return min(size, height / (len(lines) * LINE_HEIGHT))


def fit_text(
    text: str,
    *,
    width: float,
    height: float,
    max_size: float,
    min_size: float = 6.0,
    max_lines: int = 2,
    weight: str = fonts.BOLD,
    direction: str | None = None,
) -> TextLayout:
    """Choose lines and font size so ``text`` fits in a ``width`` x ``height`` box.

    Guarantees: the layout never exceeds the box. One line is kept when it fits at three
    quarters of ``max_size`` or more (and at least ``min_size``); otherwise the layout of 1 to
    ``max_lines`` lines broken at spaces with the largest size wins. A text that fits nowhere
    at ``min_size`` is drawn smaller rather than cut.
    """
    single = [prepare_text(text, weight, direction)]
    best = TextLayout(tuple(single), _size_for(single, width, height, max_size))
    if best.size >= max(min_size, max_size * 0.75):
        return best
    words = best.lines[0].source.split(" ")
    for line_count in range(2, min(max_lines, len(words)) + 1):
        lines = [
            prepare_text(line, weight, direction) for line in _balanced_split(words, line_count)
        ]
        size = _size_for(lines, width, height, max_size)
        if size > best.size:
            best = TextLayout(tuple(lines), size)
    return best


def _balanced_split(words: list[str], line_count: int) -> list[str]:
    """Split words into ``line_count`` lines of similar character length (greedy)."""
    total = sum(len(word) for word in words) + len(words) - 1
    target = total / line_count
    lines: list[list[str]] = [[]]
    length = 0
    for position, word in enumerate(words):
        remaining_words = len(words) - position
        remaining_lines = line_count - len(lines)
        if (
            lines[-1]
            and remaining_lines > 0
            and (length + len(word) / 2 > target or remaining_words <= remaining_lines)
        ):
            lines.append([])
            length = 0
        lines[-1].append(word)
        length += len(word) + 1
    return [" ".join(line) for line in lines]


def _number(value: float) -> str:
    """A PDF number with at most 3 decimals (reportlab's fp_str is pure Python and slow)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def draw_line(canvas, line: PreparedText, *, x: float, y: float, size: float) -> None:
    """Draw one prepared line with its left edge at ``x`` and baseline at ``y``.

    One text object for all runs, written directly (reportlab's ``drawString`` builds a
    text object per call and formats numbers in pure Python: ~4x slower). The canvas's font
    is left as the last run's, as ``setFont`` + ``drawString`` would.
    """
    if not line.runs:
        return
    document = canvas._doc
    escape = canvas._escape
    size_text = _number(size)
    parts = ["BT"]
    for run in line.runs:
        font = getFont(run.font_name)
        parts.append(f"1 0 0 1 {_number(x)} {_number(y)} Tm")
        for subset, encoded in font.splitString(run.text, document):
            name = font.getSubsetInternalName(subset, document)
            parts.append(f"{name} {size_text} Tf ({escape(encoded)}) Tj")
        x += run.unit_width * size
    parts.append("ET")
    canvas.addLiteral("\n".join(parts))
    last = line.runs[-1].font_name
    canvas._fontname, canvas._fontsize, canvas._leading = last, size, size * 1.2


def draw_layout(
    canvas,
    layout: TextLayout,
    *,
    x: float,
    y: float,
    width: float,
    height: float,
    align: str = "center",
) -> None:
    """Draw a layout vertically centred in the box; ``align`` is center/start/left/right.

    ``start`` means left for left-to-right text and right for Arabic or Persian text.
    """
    top = y + height - (height - layout.height) / 2
    for index, line in enumerate(layout.lines):
        line_width = line.unit_width * layout.size
        side = align
        if align == "start":
            side = "right" if line.is_rtl else "left"
        if side == "center":
            left = x + (width - line_width) / 2
        elif side == "right":
            left = x + width - line_width
        else:
            left = x
        baseline = top - (index * LINE_HEIGHT + _BASELINE_FROM_LINE_TOP) * layout.size
        draw_line(canvas, line, x=left, y=baseline, size=layout.size)


def draw_text_in_box(
    canvas,
    text: str,
    *,
    x: float,
    y: float,
    width: float,
    height: float,
    max_size: float,
    min_size: float = 6.0,
    max_lines: int = 2,
    weight: str = fonts.BOLD,
    align: str = "center",
    direction: str | None = None,
) -> TextLayout:
    """Fit ``text`` into the box (bottom-left ``x``, ``y``) and draw it; return the layout.

    ``direction`` is the line's base direction (see `prepare_text`)."""
    layout = fit_text(
        text,
        width=width,
        height=height,
        max_size=max_size,
        min_size=min_size,
        max_lines=max_lines,
        weight=weight,
        direction=direction,
    )
    if layout.lines and layout.lines[0].runs:
        draw_layout(canvas, layout, x=x, y=y, width=width, height=height, align=align)
    return layout
