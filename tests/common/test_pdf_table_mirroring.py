"""Report tables in a right-to-left document are mirrored: the label column on the right,
as an Arabic reader expects, and the table against the right margin."""

import pypdfium2
import pytest
from django.utils import translation

from common.pdf.tables import table_document, text_table

ROWS = [["Organisation", "Present"], ["ACAT تونس (فرع 2)", "12"], ["FIAN Deutschland e.V.", "7"]]


def _left_edge(data: bytes, text: str) -> float:
    """Distance from the page's left edge to where `text` starts, as a share of its width."""
    document = pypdfium2.PdfDocument(data)
    page = document[0]
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    index, _count = searcher.get_next()
    left = min(textpage.get_charbox(index + offset)[0] for offset in range(len(text)))
    share = left / page.get_width()
    document.close()
    return share


def _report(language: str) -> bytes:
    with translation.override(language):
        return table_document(title="Report", story=[text_table(ROWS)])


@pytest.mark.parametrize(
    ("language", "label_side"), [("ar", "right"), ("en", "left"), ("fr", "left")]
)
def test_label_column_sits_on_the_reading_side(language, label_side):
    data = _report(language)

    label = _left_edge(data, "FIAN")
    figure = _left_edge(data, "Present")

    assert ("right" if label > figure else "left") == label_side


def test_arabic_table_stands_against_the_right_margin():
    data = _report("ar")

    assert _left_edge(data, "Organisation") > 0.5
