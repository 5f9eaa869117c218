"""The printable attendance report: labels in every script, long labels kept whole."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from attendance.exports import report_pdf
from attendance.queries import attendance_report
from badges.models import Checkpoint
from tests.factories.attendance import at, scan
from tests.factories.badges import CheckpointFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

LONG_NAME = (
    "Section française d'Amnesty International pour les droits humains et la justice "
    "pour tous les peuples du monde entier"
)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_long_organisation_name_wraps_whole_inside_the_page(
    congress, pdf_text, pdf_reading_lines, language
):
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    registration = RegistrationFactory(
        congress=congress, person__organisation=OrganisationFactory(name=LONG_NAME)
    )
    scan(registration, entrance, at(8))

    with translation.override(language):
        pdf = report_pdf(attendance_report(congress=congress))

    assert LONG_NAME in " ".join(pdf_text(pdf).split())
    # On two lines, not shrunk to an unreadable one (pdfium reads lines as they lie on the
    # page; pypdf joins a mirrored table's wrapped cell back into one line).
    assert [line for line in pdf_reading_lines(pdf) if LONG_NAME in line] == []
    starts = text_starts(pdf)
    assert min(starts) >= 42  # the 15 mm margins of an A4 page (595 pt wide)
    assert max(starts) < 595 - 42


def text_starts(pdf: bytes) -> list[float]:
    """x (in points) where each piece of text starts on the first page."""
    starts = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip():
            starts.append(matrix[0] * text_matrix[4] + matrix[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return starts


@pytest.fixture
def arabic_report(congress):
    """The Arabic report: one person from "ACAT تونس (فرع 2)" and one from "FIAN
    Deutschland e.V.", both checked in."""
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    organisations = [
        OrganisationFactory(name="ACAT تونس (فرع 2)"),
        OrganisationFactory(name="FIAN Deutschland e.V."),
    ]
    for organisation in organisations:
        registration = RegistrationFactory(congress=congress, person__organisation=organisation)
        scan(registration, entrance, at(8))
    with translation.override("ar"):
        return report_pdf(attendance_report(congress=congress))


def test_arabic_report_cell_with_brackets_and_number_reads_right_to_left(
    arabic_report, pdf_reading_lines
):
    lines = pdf_reading_lines(arabic_report)

    # The figures first (they sit at the right), then the organisation. It starts with a
    # Latin word, so the first-letter rule drew it left to right: "1 1 )تونس (فرع 2 ACAT".
    # The table is mirrored (the organisation column on the right); pdfium reads the
    # row from its right-to-left start: the organisation, then the figures.
    assert [line for line in lines if "ACAT" in line] == ["ACAT تونس (فرع 2) 1 0 1 0 0.00"]


def test_arabic_report_cell_of_latin_text_stays_left_to_right(arabic_report, pdf_reading_lines):
    lines = pdf_reading_lines(arabic_report)

    # Drawn right to left, its full stop would end up in front: ".FIAN Deutschland e.V".
    assert [line for line in lines if "FIAN" in line] == ["0.00 0 1 0 1 FIAN Deutschland e.V."]
