"""Shared PDF drawing: names in every script (fonts, shaping, fitting) and QR codes (vector
in PDFs, inline SVG in pages).

Use it wherever a PDF shows a person's name (badges, letters, receipts, certificates)::

    from common.pdf import draw_text_in_box, draw_qr

    draw_text_in_box(canvas, "محمد رضایی", x=10, y=100, width=180, height=30, max_size=24)
    draw_qr(canvas, token, x=60, y=10, size=80, version=2, mask=2)
"""

from common.pdf.canvas import CompactCanvas
from common.pdf.fonts import BOLD, REGULAR, register, warm
from common.pdf.qr import draw_qr, qr_matrix, qr_svg
from common.pdf.text import (
    LTR,
    RTL,
    PreparedText,
    TextLayout,
    direction_of_language,
    draw_layout,
    draw_line,
    draw_text_in_box,
    fit_text,
    isolate,
    prepare_text,
    value_direction,
    visual_form,
)

__all__ = [
    "BOLD",
    "LTR",
    "REGULAR",
    "RTL",
    "CompactCanvas",
    "PreparedText",
    "TextLayout",
    "direction_of_language",
    "draw_layout",
    "draw_line",
    "draw_qr",
    "draw_text_in_box",
    "fit_text",
    "isolate",
    "prepare_text",
    "qr_matrix",
    "qr_svg",
    "register",
    "value_direction",
    "visual_form",
    "warm",
]
