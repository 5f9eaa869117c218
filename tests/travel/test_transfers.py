import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from tests.factories.registrations import RegistrationFactory
from travel import services

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _flight(congress, name, arrival_utc, airport="GVA", flight="LX 123", phone="+41 79 000 00 00"):
    registration = RegistrationFactory(congress=congress, person__name=name)
    return services.save_itinerary(
        registration=registration,
        needs_transfer=True,
        phone=phone,
        arrival_flight=flight,
        arrival_airport=airport.lower(),
        arrival_at=arrival_utc,
    )


def test_manifest_groups_arrivals_by_airport_and_local_time_window(client, organiser, congress):
    congress.timezone = "Europe/Zurich"
    congress.save()
    _flight(congress, "Amina", datetime.datetime(2027, 6, 14, 7, 40, tzinfo=UTC))  # 09:40 local
    _flight(congress, "Binta", datetime.datetime(2027, 6, 14, 6, 5, tzinfo=UTC), flight="ET 5")
    _flight(congress, "Carlos", datetime.datetime(2027, 6, 14, 9, 0, tzinfo=UTC), airport="ZRH")
    _flight(congress, "Dalia", datetime.datetime(2027, 6, 15, 9, 0, tzinfo=UTC))  # next day
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/manage/travel/transfers/manifest.xlsx?day=2027-06-14"
    )

    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1:] == [
        ("Arrival", "GVA", "08:00-10:00", "08:05", "ET5", "Binta", "+41 79 000 00 00", None),
        ("Arrival", "GVA", "08:00-10:00", "09:40", "LX123", "Amina", "+41 79 000 00 00", None),
        ("Arrival", "ZRH", "10:00-12:00", "11:00", "LX123", "Carlos", "+41 79 000 00 00", None),
    ]


def test_manifest_highlights_changes_after_the_last_export(client, organiser, congress):
    itinerary = _flight(congress, "Amina", datetime.datetime(2027, 6, 14, 7, 40, tzinfo=UTC))
    _flight(congress, "Binta", datetime.datetime(2027, 6, 14, 9, 0, tzinfo=UTC))
    services.record_manifest_export(
        congress=congress,
        day=datetime.date(2027, 6, 14),
        now=timezone.now(),
    )
    services.save_itinerary(
        registration=itinerary.registration,
        arrival_at=datetime.datetime(2027, 6, 14, 8, 40, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/manage/travel/transfers/manifest.xlsx?day=2027-06-14"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    marked = [
        (row[5].value, row[7].value, row[0].fill.start_color.rgb)
        for row in sheet.iter_rows(min_row=2)
    ]
    assert marked == [("Amina", "Yes", "00FFF2A8"), ("Binta", None, "00000000")]
