"""PDF base direction: every line of the Arabic certificate reads right to left, with its
brackets mirrored and its hours in order (common.pdf `direction`, `isolate`).

The text layer is read as a PDF reader copies it: pdfium (the engine of Chromium's PDF
viewer) puts right-to-left lines back in reading order and mirrors their brackets as a
reader sees them. pypdf's `extract_text` cannot judge this: it reverses each Arabic run
without mirroring brackets, so it reads a correct page as "شارك)ت(".
"""

import unicodedata

import pypdfium2
import pytest

from attendance.certificates import render_certificate_pdf
from attendance.models import Certificate
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from tests.factories.attendance import at, scan, session_door
from tests.factories.congress import TrackFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def reading_lines(data: bytes) -> list[str]:
    """The first page's text lines in reading order (pdfium), NFKC-folded."""
    document = pypdfium2.PdfDocument(data)
    text = document[0].get_textpage().get_text_range()
    document.close()
    return [unicodedata.normalize("NFKC", line) for line in text.splitlines()]


def _arabic_certificate(congress, name: str) -> bytes:
    """An Arabic certificate: 1 h 30 in a training of the track "Drug policy"."""
    track = TrackFactory(congress=congress, name="Drug policy")
    door = session_door(congress, at(9), at(10, 30), track=track, kind="training")
    registration = RegistrationFactory(
        congress=congress, person__name=name, person__preferred_language="ar"
    )
    scan(registration, door, at(9))
    set_certificate_threshold(congress=congress, minutes=60)
    close_congress(congress=congress)
    issue_certificates(congress=congress)
    return render_certificate_pdf(certificate=Certificate.objects.get(), base_url="http://x/")


@pytest.fixture
def arabic_certificate(congress):
    return _arabic_certificate(congress, "أمينة بن سالم")


def test_arabic_certificate_text_has_mirrored_brackets_and_hours_in_order(
    congress, arabic_certificate
):
    lines = reading_lines(arabic_certificate)

    assert lines[3].startswith("شارك(ت) في ")  # was "شارك)ت( في"
    assert lines[4] == "الجلسات المحضورة: 1 س 30 د"
    # pdfium reads this line from the left, as it lies on the page; an Arabic reader starts
    # at the right: "Drug policy: 1 س 30 د". It was "Drug policy: 1 د 30 س" (the line took
    # its direction from its first letter, and the hours were reordered with the track).
    assert lines[6] == "د 30 س 1 :Drug policy"


def test_arabic_certificate_name_starting_with_latin_reads_right_to_left(congress):
    pdf = _arabic_certificate(congress, "Dr أمينة بن سالم (2)")

    # The first-letter rule drew it left to right: ")أمينة بن سالم (2 Dr".
    assert reading_lines(pdf)[2] == "Dr أمينة بن سالم (2)"
