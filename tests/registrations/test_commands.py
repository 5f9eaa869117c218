import datetime
import io

import pytest
from django.core.management import call_command

from registrations import services
from registrations.models import Registration, RegistrationSettings
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_reconcile_payments_command_releases_expired_holds(congress):
    RegistrationSettings.objects.create(congress=congress, transfer_hold_days=1)
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=100)
    registration = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="late@example.org", name="Late"),
        now=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        send_email=False,
    ).registration
    out = io.StringIO()

    call_command("reconcile_payments", "--minutes", "30", stdout=out)

    registration.refresh_from_db()
    assert out.getvalue().strip() == "settled=0 released=1"
    assert (registration.status, registration.status_reason) == (
        Registration.Status.CANCELLED,
        "hold_expired",
    )


def test_purge_passport_data_command(congress):
    congress.starts_on = datetime.date(2020, 1, 1)
    congress.ends_on = datetime.date(2020, 1, 2)
    congress.save()
    registration = RegistrationFactory(congress=congress)
    visa = services.request_visa_letter(registration=registration, passport={"full_name": "X"})
    out = io.StringIO()

    call_command("purge_passport_data", stdout=out)

    visa.refresh_from_db()
    assert out.getvalue().strip() == "purged=1"
    assert visa.passport_data == {}
