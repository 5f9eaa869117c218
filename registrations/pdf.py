"""Receipts and visa invitation letters as PDFs.

Local text helper (until the shared congress/pdf module from the badges branch is merged):
names are NFC-normalised, Arabic/Persian is shaped and reordered (arabic-reshaper +
python-bidi) and drawn with Noto Sans Arabic; other text with Noto Sans (Latin, Cyrillic,
Vietnamese). CJK names need the shared module's CJK font.
"""

import io
import unicodedata
from functools import cache

import arabic_reshaper
import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import qrcode
from bidi import get_display
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

LATIN_FONT = "RegNotoSans"
ARABIC_FONT = "RegNotoSansArabic"


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(
        TTFont(LATIN_FONT, str(fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"))
    )
    pdfmetrics.registerFont(
        TTFont(
            ARABIC_FONT,
            str(fontpkg_noto_sans_arabic.ROOT / "files" / "NotoSansArabic[wdth,wght].ttf"),
        )
    )


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff" for char in text)


def prepare(text: str) -> tuple[str, str]:
    """(visual text, font name) for one line."""
    _register_fonts()
    text = unicodedata.normalize("NFC", text or "")
    if _is_arabic(text):
        return get_display(arabic_reshaper.reshape(text)), ARABIC_FONT
    return text, LATIN_FONT


def draw_line(canvas: Canvas, x: float, y: float, text: str, size: float = 11) -> None:
    visual, font = prepare(text)
    canvas.setFont(font, size)
    canvas.drawString(x, y, visual)


def _draw_lines(canvas: Canvas, lines: list[tuple[str, float]], top: float) -> float:
    y = top
    for text, size in lines:
        draw_line(canvas, 20 * mm, y, text, size)
        y -= size * 1.6
    return y


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A vector QR: each row's run of dark modules is one rectangle."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    module = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        start = None
        for col_index, value in enumerate([*row, 0]):
            if value and start is None:
                start = col_index
            elif not value and start is not None:
                canvas.rect(
                    x + start * module,
                    y + size - (row_index + 1) * module,
                    (col_index - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
                start = None


def render_document(
    *, title: str, letterhead: list[str], lines: list[str], qr_data: str = ""
) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    width, height = A4
    y = _draw_lines(canvas, [(text, 10) for text in letterhead], height - 20 * mm)
    canvas.line(20 * mm, y, width - 20 * mm, y)
    y = _draw_lines(canvas, [(title, 16)], y - 12 * mm)
    _draw_lines(canvas, [(text, 11) for text in lines], y - 6 * mm)
    if qr_data:
        _draw_qr(canvas, qr_data, width - 60 * mm, 20 * mm, 40 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
