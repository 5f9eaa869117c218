"""Tables in printable PDFs (reports, rooming lists): cells in any script, RTL-aware.

from common.pdf.tables import table_document, text_table

pdf = table_document(title="Rooming list", story=[text_table([["Room", "Name"], ...])])

Each cell's base direction comes from the document's language (the active one, or
`direction=`): see `common.pdf.text.value_direction` and docs/pdf.md "Direction".
"""

import io

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from common.pdf.fonts import BOLD, REGULAR
from common.pdf.text import (
    LINE_HEIGHT,
    RTL,
    TextLayout,
    direction_of_language,
    draw_layout,
    fit_text,
    prepare_text,
    value_direction,
)

_CELL_MAX_WIDTH = 90 * mm  # a column never pushes the table off an A4 page


class TextCell(Flowable):
    """One table cell's text, drawn with common.pdf (font per script, Arabic shaped).

    Guarantees: never wider than the column reportlab gives it; a text too wide for its
    column wraps onto a second line at a space and shrinks if it must, never cut or spilt
    into the next cell. ``direction`` is the cell's base direction (`value_direction`).
    """

    def __init__(self, text: str, *, size: float, weight: str, direction: str) -> None:
        super().__init__()
        self.text = text
        self.weight = weight
        self.size = size
        self.direction = direction
        self.layout = TextLayout((prepare_text(text, weight, direction),), size)

    def minWidth(self) -> float:  # reportlab asks flowables in table cells for this
        return min(self.layout.lines[0].unit_width * self.size, _CELL_MAX_WIDTH)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        single = TextLayout((prepare_text(self.text, self.weight, self.direction),), self.size)
        self.layout = single
        if single.width() > available_width > 0:
            self.layout = fit_text(
                self.text,
                width=available_width,
                height=2 * self.size * LINE_HEIGHT,
                max_size=self.size,
                min_size=self.size * 0.75,
                max_lines=2,
                weight=self.weight,
                direction=self.direction,
            )
        self.width = self.layout.width()
        self.height = max(self.layout.height, self.size * LINE_HEIGHT)
        return self.width, self.height

    def draw(self) -> None:
        if self.layout.lines[0].runs:
            draw_layout(
                self.canv,
                self.layout,
                x=0,
                y=0,
                width=self.width,
                height=self.height,
                align="start",
            )


def text_table(
    data: list[list[str]], *, header: bool = True, direction: str | None = None
) -> Table:
    """A table of text cells; every cell reads in the document's `direction` (by default
    the active language's) when it has a letter written that way: in an Arabic report,
    "UPR: الاستعراض الدوري (الجولة 4)" reads right to left, "Amnesty (France)" left to
    right (`value_direction`). In a right-to-left document the columns are mirrored."""
    direction = direction or direction_of_language(translation.get_language())
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ea")))
    cells = [
        [
            TextCell(
                str(text),
                size=8,
                weight=BOLD if header and row_index == 0 else REGULAR,
                direction=value_direction(str(text), direction),
            )
            for text in row
        ]
        for row_index, row in enumerate(data)
    ]
    if direction == RTL:
        # Mirrored, as a right-to-left reader expects: the first column (the label) on the
        # right, the table against the right margin, every cell aligned right.
        cells = [row[::-1] for row in cells]
        style.append(("ALIGN", (0, 0), (-1, -1), "RIGHT"))
    table = Table(
        cells, repeatRows=1 if header else 0, hAlign="RIGHT" if direction == RTL else "LEFT"
    )
    table.setStyle(TableStyle(style))
    return table


def table_document(*, title: str, story: list) -> bytes:
    """An A4 PDF of `story` (tables and spacers) with 15 mm margins; `title` in its metadata."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        invariant=1,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    document.build(story)
    return buffer.getvalue()
