"""The printable programme in Arabic: every line reads right to left, with Latin room names
and times in order (docs/pdf.md "Direction"), read as a PDF reader copies the text (pdfium)."""

import pytest
from django.utils import translation

from sessions.programme_pdf import render_programme_pdf
from sessions.queries import programme_sessions
from tests.factories.congress import TrackFactory
from tests.factories.sessions import RoomFactory, SessionFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic_programme(congress):
    SessionFactory(
        congress=congress,
        room=RoomFactory(congress=congress, name="1st Floor Hall (B2)"),
        track=TrackFactory(
            congress=congress, name="Drug policy", name_translations={"ar": "سياسة المخدرات"}
        ),
        title="UPR",
        title_translations={"ar": "UPR: الاستعراض الدوري (الجولة 4)"},
        starts_at=at(15, 9),
        ends_at=at(15, 10, 30),
    )
    with translation.override("ar"):
        return render_programme_pdf(
            congress=congress, sessions=programme_sessions(congress=congress), title="البرنامج"
        )


def test_arabic_programme_session_lines_read_right_to_left(arabic_programme, pdf_reading_lines):
    lines = pdf_reading_lines(arabic_programme)

    # The time first (it sits at the right margin), then the title: the first-letter rule
    # drew both left to right, read as "10:30-09:00 )الاستعراض الدوري (الجولة 4 :UPR"
    # (with an en dash).
    # pdfium reads the room line from the left, as it lies on the page; an Arabic reader
    # starts at the right: "ورشة عمل · 1st Floor Hall (B2) · سياسة المخدرات".
    assert lines[3:5] == [
        "09:00\N{EN DASH}10:30 UPR: الاستعراض الدوري (الجولة 4)",
        "المخدرات سياسة · 1st Floor Hall (B2) · عمل ورشة",
    ]
