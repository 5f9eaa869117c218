"""Demo steps of attendance: the world network's earlier world congresses, archived, with
their membership records (so the engagement trend has history; right after the core step),
then (last) the world congress closed with a certificate threshold and certificates issued.
Idempotent: natural keys, and the congress is closed only once (a second run changes
nothing)."""

import datetime
import random
from typing import TextIO

from attendance.models import AttendanceClosure
from attendance.participation import record_past_participation
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from congress.demo import WORLD_SLUG
from congress.models import Congress
from members.models import Membership, Network

PAST_CONGRESSES = [
    # (edition, city, country, time zone, year, share of member organisations present)
    (6, "Oslo", "NO", "Europe/Oslo", 2016, 0.55),
    (7, "Brussels", "BE", "Europe/Brussels", 2019, 0.62),
    (8, "Berlin", "DE", "Europe/Berlin", 2022, 0.48),
]


def load_network_history_demo(stdout: TextIO) -> None:
    """The world network's earlier congresses, archived, with their membership records.

    Runs right after the core step, before the other steps that go through every congress,
    so that a second run of the demo finds the same congresses as the first."""
    network = Network.objects.filter(congresses__slug=WORLD_SLUG).first()  # the world congress's
    if network is None:
        return
    _past_congresses(network)
    stdout.write(f"  {len(PAST_CONGRESSES)} earlier congresses of {network.name}, archived\n")


def load_attendance_demo(stdout: TextIO) -> None:
    congress = Congress.objects.filter(slug=WORLD_SLUG).first()
    if congress is None:
        return
    closure = AttendanceClosure.objects.filter(congress=congress).first()
    if closure is not None and closure.is_closed:
        return
    set_certificate_threshold(congress=congress, minutes=120)
    result = close_congress(congress=congress)
    issue_certificates(congress=congress)
    stdout.write(
        f"  attendance: {result.present}/{result.people} present, "
        f"{result.organisations} organisations recorded\n"
    )


def _past_congresses(network: Network) -> None:
    members = list(
        Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )
    for index, (edition, city, country, tz, year, share) in enumerate(PAST_CONGRESSES):
        slug = f"world-congress-{year}"
        starts_on = datetime.date(year, 6, 10 + index)
        congress, _created = Congress.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"{edition}th World Congress against the Death Penalty, {city}",
                "kind": Congress.Kind.WORLD,
                "edition": edition,
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=3),
                "timezone": tz,
                "city": city,
                "country": country,
                "working_languages": ["en", "fr", "ar", "es"],
                "currency": "EUR",
                "status": Congress.Status.ARCHIVED,
                "network": network,
            },
        )
        record_past_participation(
            congress=congress,
            closed_at=datetime.datetime(year, 7, 1, 12, 0, tzinfo=datetime.UTC),
            delegates=_past_delegates(members, random.Random(slug), share),
        )


def _past_delegates(members: list[int], generator: random.Random, share: float) -> list[dict]:
    """Seeded figures: the same history on every run."""
    delegates = []
    for organisation_id in generator.sample(members, round(len(members) * share)):
        for _delegate in range(generator.randint(1, 3)):
            trainings = generator.randint(0, 4)
            delegates.append(
                {
                    "organisation_id": organisation_id,
                    "is_present": True,
                    "sessions_attended": trainings + generator.randint(1, 5),
                    "trainings_attended": trainings,
                    "training_minutes": trainings * 90,
                }
            )
    return delegates
