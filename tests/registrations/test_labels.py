"""Labels, not codes: fee reasons, statuses and payment methods are words (issue 12)."""

import datetime

import pytest

from registrations.models import Registration
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def _fee_line(html: str) -> str:
    start = html.index("<dt>Fee</dt>")
    return html[start : html.index("</dd>", start) + 5]


def test_manage_detail_shows_fee_reasons_as_words(client, congress, organiser):
    registration = RegistrationFactory(
        congress=congress, amount_due_minor=15000, fee_reasons=["country_group", "member_rate"]
    )
    client.force_login(organiser)

    html = client.get(
        f"/en/congresses/{congress.slug}/registrations/{registration.pk}/"
    ).content.decode()

    assert _fee_line(html) == "<dt>Fee</dt><dd>€150.00 (Country group rate, Member rate)</dd>"


def test_manage_detail_fee_reasons_in_french(client, congress, organiser):
    registration = RegistrationFactory(
        congress=congress, amount_due_minor=15000, fee_reasons=["early_bird"]
    )
    client.force_login(organiser)

    html = client.get(
        f"/fr/congresses/{congress.slug}/registrations/{registration.pk}/"
    ).content.decode()

    start = html.index("150,00")
    assert html[start : html.index("</dd>", start)] == "150,00\u00a0€ (Inscription anticipée)"


def test_manage_export_shows_words_and_local_times(client, congress, organiser):
    registration = RegistrationFactory(
        congress=congress,
        status=Registration.Status.PENDING_PAYMENT,
        payment_method="transfer",
        fee_reasons=["early_bird", "member_rate"],
    )
    # 07:30 UTC is 09:30 in Paris (summer time).
    Registration.objects.filter(pk=registration.pk).update(
        created_at=datetime.datetime(2027, 5, 3, 7, 30, tzinfo=datetime.UTC)
    )
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/registrations/export/",
        {
            "columns": ["status", "payment_method", "fee_reasons", "registered_at"],
            "file_format": "csv",
        },
    )

    assert response.getvalue().decode("utf-8-sig").splitlines() == [
        "Status,Payment method,Fee reasons,Registered at",
        'Pending payment,Bank transfer,"Early bird, Member rate",2027-05-03T09:30+02:00',
    ]
