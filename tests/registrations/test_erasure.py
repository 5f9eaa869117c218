"""What erasing a person removes from registrations (registrations/erasure.py)."""

import datetime

import pytest
import time_machine

from privacy.erasure import erase_person
from registrations import services
from registrations.models import Registration, VisaLetterRequest
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

PASSPORT = {
    "full_name": "AMINA BEN SALEM",
    "nationality": "TN",
    "passport_number": "X1234567",
    "date_of_birth": "1985-04-02",
    "expires_on": "2030-01-01",
}
PURGED = datetime.datetime(2027, 9, 1, 3, 0, tzinfo=datetime.UTC)
ERASED = datetime.datetime(2028, 1, 10, 9, 0, tzinfo=datetime.UTC)


def test_erase_person_keeps_the_figures_of_their_registrations(congress):
    registration = RegistrationFactory(
        congress=congress,
        status=Registration.Status.CONFIRMED,
        amount_due_minor=12000,
        amount_paid_minor=12000,
        badge_display_name="Rose",
        answers={"diet": "halal"},
    )

    erase_person(person=registration.person, actor=None)

    assert list(
        Registration.objects.values_list(
            "category", "status", "amount_paid_minor", "badge_display_name", "answers"
        )
    ) == [(registration.category_id, "confirmed", 12000, "", {})]


def test_erase_person_keeps_the_date_of_an_earlier_passport_purge(congress):
    registration = RegistrationFactory(congress=congress)
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    with time_machine.travel(PURGED, tick=False):
        services.purge_passport_data(today=datetime.date(2099, 1, 1))

    with time_machine.travel(ERASED, tick=False):
        erase_person(person=registration.person, actor=None)

    assert list(
        VisaLetterRequest.objects.values_list("passport_data", "purged_at", "reference")
    ) == [({}, PURGED, visa.reference)]
