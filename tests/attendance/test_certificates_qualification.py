"""The certificate states what the person qualified by: days present under the days rule,
hours (on site plus online, the online part named) under the hours rule, both under "both".
Read from the PDF text layer as a reader sees it (pdfium, see test_certificates_direction)."""

import pytest

from attendance.certificates import render_certificate_pdf
from attendance.models import Certificate, OnlineVisit
from attendance.services import close_congress, issue_certificates, set_certificate_rule
from tests.attendance.test_certificates_direction import reading_lines
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db


def _certificate(congress, language: str, rule: str) -> list[str]:
    """Two days at the entrance, 1 h 30 in a session on site, 30 min followed online."""
    entrance = CheckpointFactory(congress=congress)
    door = session_door(congress, at(9), at(10, 30))
    streamed = SessionFactory(
        congress=congress,
        starts_at=at(10, day=16),
        ends_at=at(10, 30, day=16),
        stream_url="https://stream.example.org/live",
    )
    registration = RegistrationFactory(
        congress=congress, person__name="Amina Haddad", person__preferred_language=language
    )
    scan(registration, entrance, at(8, day=15))
    scan(registration, entrance, at(8, day=16))
    scan(registration, door, at(9))
    OnlineVisit.objects.create(
        congress=congress,
        registration=registration,
        session=streamed,
        joined_at=at(10, day=16),
        left_at=at(10, 30, day=16),
    )
    set_certificate_rule(congress=congress, rule=rule, minutes=60, days=2, plenary_rule="none")
    close_congress(congress=congress)
    issue_certificates(congress=congress)
    pdf = render_certificate_pdf(certificate=Certificate.objects.get(), base_url="http://x/")
    return reading_lines(pdf)


@pytest.mark.parametrize(
    ("language", "rule", "expected"),
    [
        ("fr", "days", "Jours de présence : 2"),
        ("fr", "hours", "Sessions suivies : 2 heures, dont 0 h 30 en ligne"),
        ("fr", "both", "Jours de présence : 2 · Sessions suivies : 2 heures, dont 0 h 30 en ligne"),
        ("ar", "days", "أيام الحضور: 2"),
        ("ar", "hours", "الجلسات المحضورة: ساعتان، منها 0 س 30 د عبر الإنترنت"),
        (
            "ar",
            "both",
            "أيام الحضور: 2 · الجلسات المحضورة: ساعتان، منها 0 س 30 د عبر الإنترنت",
        ),
    ],
)
def test_certificate_states_what_the_person_qualified_by(congress, language, rule, expected):
    lines = _certificate(congress, language, rule)

    assert lines[4] == expected
