"""What erasing a person removes from attendance (attendance/erasure.py)."""

import pytest
from django.urls import reverse

from attendance.certificates import verification_code
from attendance.models import Certificate, PersonAttendance
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from privacy.erasure import erase_person
from sessions.models import Session
from tests.factories.attendance import at, scan, session_door
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina(congress):
    """Amina attended 2 h of training and holds a certificate; the congress is closed."""
    door = session_door(congress, at(9), at(11), kind=Session.Kind.TRAINING)
    registration = RegistrationFactory(congress=congress, person__name="Amina Ben Salem")
    scan(registration, door, at(9))
    set_certificate_threshold(congress=congress, minutes=60)
    close_congress(congress=congress)
    issue_certificates(congress=congress)
    return registration


def test_erase_person_makes_their_certificate_code_match_nothing(client, amina):
    url = reverse(
        "attendance:verify_certificate",
        kwargs={"code": verification_code(Certificate.objects.get(registration=amina))},
    )

    erase_person(person=amina.person, actor=None)

    response = client.get(url)
    assert response.status_code == 404
    assert "No certificate matches this code." in response.content.decode()
    assert "Amina" not in response.content.decode()
    assert list(Certificate.objects.all()) == []


def test_erase_person_keeps_their_attendance_figures(amina):
    erase_person(person=amina.person, actor=None)

    assert list(
        PersonAttendance.objects.values_list("registration", "days_present", "attended_minutes")
    ) == [(amina.pk, 1, 120)]


def test_closing_again_after_erasure_issues_the_erased_person_no_certificate(amina, congress):
    erase_person(person=amina.person, actor=None)

    close_congress(congress=congress)
    issue_certificates(congress=congress)

    assert list(Certificate.objects.all()) == []
