import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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


def test_import_bank_statement_command_prints_summary_and_is_idempotent(congress, tmp_path):
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=15000)
    registration = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="pay@example.org", name="Payer"),
        send_email=False,
    ).registration
    path = tmp_path / "jan.csv"
    path.write_text(
        "date,amount,currency,reference\n"
        f"2027-01-05,150.00,EUR,{registration.payment_reference}\n"
        "2027-01-05,50.00,EUR,donation\n"
        "2027-01-05,NaN,EUR,oops\n"
    )
    first, second = io.StringIO(), io.StringIO()

    call_command("import_bank_statement", congress.slug, str(path), stdout=first)
    call_command(
        "import_bank_statement", congress.slug, str(path), "--format", "csv", stdout=second
    )

    registration.refresh_from_db()
    refused = [{"line": 4, "message": "“NaN” is not an amount written with “.” for decimals."}]
    assert json.loads(first.getvalue()) == {
        "matched": 1,
        "partial": 0,
        "overpaid": 0,
        "unmatched": 1,
        "wrong_currency": 0,
        "duplicate": 0,
        "refused": 1,
        "debit": 0,
        "refused_lines": refused,
    }
    assert json.loads(second.getvalue()) == {
        "matched": 0,
        "partial": 0,
        "overpaid": 0,
        "unmatched": 0,
        "wrong_currency": 0,
        "duplicate": 2,
        "refused": 1,
        "debit": 0,
        "refused_lines": refused,
    }
    assert registration.amount_paid_minor == 15000


def test_import_bank_statement_command_unknown_mapping_is_an_error(congress, tmp_path):
    path = tmp_path / "jan.csv"
    path.write_text("date,amount,currency,reference\n")

    with pytest.raises(CommandError) as error:
        call_command("import_bank_statement", congress.slug, str(path), "--mapping", "Nope")

    assert str(error.value) == "No mapping 'Nope' in this congress."
