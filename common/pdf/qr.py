"""QR codes, encoded by the `qrcode` library: vector rectangles in PDFs, inline SVG in pages.

Each row's run of dark modules becomes one rectangle, written as integer module coordinates
under one scaling transform (no float formatting per rectangle). Choosing the version and
mask is most of qrcode's cost (it builds the code eight times to score every mask): about
2.4 ms of CPU for a badge token, against 0.3 ms with both fixed. Callers with data of a known length
(badge tokens) therefore pass them fixed; letters and certificates let qrcode choose.
"""

from __future__ import annotations

import re

import qrcode
from django.utils.html import format_html
from django.utils.safestring import SafeString
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

QUIET_ZONE_MODULES = 4
ERROR_LEVELS = {
    "l": ERROR_CORRECT_L,
    "m": ERROR_CORRECT_M,
    "q": ERROR_CORRECT_Q,
    "h": ERROR_CORRECT_H,
}
_DARK_RUN = re.compile(b"\x01+")


def qr_matrix(
    data: str, *, version: int | None = None, error: str = "m", mask: int | None = None
) -> list[bytes]:
    """Module matrix (rows of 0/1 bytes, no quiet zone) of the QR code for ``data``.

    ``version`` and ``mask`` left out are chosen by qrcode (smallest version, best mask).
    With ``version`` fixed the code never grows: qrcode raises
    ``qrcode.exceptions.DataOverflowError`` when ``data`` does not fit.
    """
    code = qrcode.QRCode(
        version=version, error_correction=ERROR_LEVELS[error.lower()], mask_pattern=mask, border=0
    )
    code.add_data(data)
    code.make(fit=version is None)
    return [bytes(row) for row in code.modules]


def _runs(matrix: list[bytes]):
    """(column, row, length) of each run of dark modules, row by row from the top."""
    for row_index, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            yield start, row_index, end - start


def qr_path(matrix: list[bytes]) -> str:
    """PDF path operators of the dark modules in module units, top row at y = -1.

    One rectangle per run of dark modules in a row, with a hair of overlap between rows
    (height 1.02) that avoids white hairlines in some viewers.
    """
    return "\n".join(
        f"{column} {-1 - row} {length} 1.02 re" for column, row, length in _runs(matrix)
    )


def draw_qr(
    canvas,
    data: str,
    *,
    x: float,
    y: float,
    size: float,
    version: int | None = None,
    error: str = "m",
    mask: int | None = None,
    quiet_zone: bool = True,
) -> None:
    """Draw the QR code of ``data`` in the square with bottom-left ``x``, ``y`` and side ``size``.

    With ``quiet_zone`` the square includes the 4-module white margin scanners need (painted
    white, so the code also reads on a coloured background).
    """
    matrix = qr_matrix(data, version=version, error=error, mask=mask)
    count = len(matrix)
    border = QUIET_ZONE_MODULES if quiet_zone else 0
    module = size / (count + 2 * border)
    canvas.saveState()
    if quiet_zone:
        canvas.setFillColorRGB(1, 1, 1)
        canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    # Module units: origin at the code's top-left corner, one unit per module.
    canvas.transform(module, 0, 0, module, x + border * module, y + size - border * module)
    canvas.addLiteral(f"n\n{qr_path(matrix)}\nf")
    canvas.restoreState()


def qr_svg(data: str, *, title: str, css_class: str, scale: int = 4) -> SafeString:
    """Inline SVG of the QR code for ``data``, quiet zone included, ``scale`` px a module.

    Plain ``<svg><title><path>`` markup: no script and no style attribute, so it passes
    a strict Content-Security-Policy. The background is transparent (give the class one).
    """
    matrix = qr_matrix(data)
    side = len(matrix) + 2 * QUIET_ZONE_MODULES
    path = "".join(
        f"M{column + QUIET_ZONE_MODULES} {row + QUIET_ZONE_MODULES}h{length}v1h-{length}z"
        for column, row, length in _runs(matrix)
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}"'
        ' class="{}" role="img"><title>{}</title><path d="{}"/></svg>',
        side * scale,
        side * scale,
        side,
        side,
        css_class,
        title,
        path,
    )
