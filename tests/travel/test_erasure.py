import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from privacy.erasure import erase_person
from tests.factories.travel import AwardFactory, GrantApplicationFactory
from travel import services
from travel.models import AccommodationRequest, GrantApplication, Itinerary, Reimbursement

pytestmark = pytest.mark.django_db


def test_erasure_removes_travel_details_and_keeps_the_donors_accounts(organiser):
    application = GrantApplicationFactory(
        status=GrantApplication.Status.AWARDED, motivation="My story", gender="woman"
    )
    registration = application.registration
    award = AwardFactory(application=application, amount_minor=50000)
    claim = services.claim_reimbursement(
        award=award,
        claimed_minor=1000,
        description="Taxi",
        receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    services.save_accommodation_request(
        registration=registration,
        first_night=datetime.date(2027, 6, 14),
        last_night=datetime.date(2027, 6, 16),
        sharing="alone",
    )
    services.save_itinerary(registration=registration, phone="+221 77 000 00 00")
    stored = claim.receipt.path

    erase_person(person=registration.person, actor=organiser)

    application.refresh_from_db()
    claim.refresh_from_db()
    assert (application.motivation, application.gender) == ("", "")
    assert (claim.receipt.name, claim.description, claim.claimed_minor) == ("", "", 1000)
    assert (AccommodationRequest.objects.count(), Itinerary.objects.count()) == (0, 0)
    assert Reimbursement.objects.count() == 1
    assert os.path.exists(stored) is False
