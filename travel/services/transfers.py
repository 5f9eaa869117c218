"""Flights for airport transfers, and the record of each day's manifest export."""

import datetime

from django.db import transaction
from django.utils import timezone

from congress.models import Congress
from registrations.models import Registration
from travel.models import Itinerary, ManifestExport


def save_itinerary(*, registration: Registration, **flights) -> Itinerary:
    """Save the participant's flights (fields of Itinerary: flight numbers upper-cased,
    airports as IATA codes); `updated_at` marks the change for the manifest."""
    for key in ("arrival_flight", "departure_flight", "arrival_airport", "departure_airport"):
        if key in flights:
            flights[key] = "".join(str(flights[key] or "").split()).upper()
    itinerary, _created = Itinerary.objects.update_or_create(
        registration=registration, defaults=flights
    )
    return itinerary


def record_manifest_export(
    *, congress: Congress, day: datetime.date, now: datetime.datetime | None = None
) -> ManifestExport:
    """Remember when the day's manifest was exported: later changes are highlighted."""
    now = now or timezone.now()
    with transaction.atomic():
        export, _created = ManifestExport.objects.update_or_create(
            congress=congress, day=day, defaults={"exported_at": now}
        )
    return export
