"""Receipts and visa invitation letters as PDFs, drawn with the shared `common.pdf` module
(fonts per script including Arabic/Persian shaping and CJK, vector QR codes)."""

import io

from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from common.pdf import REGULAR, direction_of_language, draw_qr, draw_text_in_box


def _draw_lines(canvas: Canvas, lines: list[tuple[str, float]], top: float) -> float:
    """Each line in a box as wide as the page's text column; long lines shrink to fit."""
    width = A4[0] - 40 * mm
    # Sentences of the letter take the base direction of its language (rendered inside
    # translation.override): an Arabic sentence that starts with a Latin name stays RTL.
    direction = direction_of_language(translation.get_language())
    y = top
    for text, size in lines:
        height = size * 1.5
        if text.strip():
            draw_text_in_box(
                canvas,
                text,
                x=20 * mm,
                y=y - height,
                width=width,
                height=height,
                max_size=size,
                max_lines=1,
                weight=REGULAR,
                align="start",
                direction=direction,
            )
        y -= height
    return y


def _draw_signature(canvas: Canvas, image: bytes, top: float) -> float:
    """The signature image scaled into a 60 x 20 mm box (ratio kept), under the text."""
    reader = ImageReader(io.BytesIO(image))
    image_width, image_height = reader.getSize()
    scale = min(60 * mm / image_width, 20 * mm / image_height)
    width, height = image_width * scale, image_height * scale
    canvas.drawImage(reader, 20 * mm, top - height, width=width, height=height, mask="auto")
    return top - height


def render_document(
    *,
    title: str,
    letterhead: list[str],
    lines: list[str],
    qr_data: str = "",
    signature: bytes = b"",
    signature_lines: tuple[str, ...] = (),
) -> bytes:
    """An A4 page: letterhead, title, the lines; then the signature image (PNG or JPEG
    bytes, checked when uploaded) and the signatory's lines (name, title); a QR code."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    width, height = A4
    y = _draw_lines(canvas, [(text, 10) for text in letterhead], height - 20 * mm)
    canvas.line(20 * mm, y - 2 * mm, width - 20 * mm, y - 2 * mm)
    y = _draw_lines(canvas, [(title, 16)], y - 10 * mm)
    y = _draw_lines(canvas, [(text, 11) for text in lines], y - 6 * mm)
    if signature:
        y = _draw_signature(canvas, signature, y - 4 * mm)
    _draw_lines(canvas, [(text, 11) for text in signature_lines if text], y - 2 * mm)
    if qr_data:
        draw_qr(canvas, qr_data, x=width - 60 * mm, y=20 * mm, size=40 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
