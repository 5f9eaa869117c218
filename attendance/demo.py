"""Demo step 50 (attendance): earlier editions of the world network in the membership
records (so the engagement trend has history), then the world congress closed with a
certificate threshold and certificates issued. Idempotent: natural keys, and the congress is
closed only once (a second run changes nothing)."""

import datetime
import random
from typing import TextIO

from attendance.models import AttendanceClosure
from attendance.participation import record_participation
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from congress.demo import WORLD_SLUG
from congress.models import Congress
from members.models import Membership, Network

PAST_EDITIONS = [
    # (slug, name, year, share of member organisations present)
    ("world-congress-2016", "6th World Congress against the Death Penalty, Oslo", 2016, 0.55),
    ("world-congress-2019", "7th World Congress against the Death Penalty, Brussels", 2019, 0.62),
    ("world-congress-2022", "8th World Congress against the Death Penalty, Berlin", 2022, 0.48),
]


def load_attendance_demo(stdout: TextIO) -> None:
    network = Network.objects.filter(slug="world-abolitionist-coalition").first()
    if network is not None:
        _past_editions(network)
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


def _past_editions(network: Network) -> None:
    members = list(
        Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
    )
    for index, (slug, name, year, share) in enumerate(PAST_EDITIONS):
        generator = random.Random(slug)  # seeded: the same history on every run
        present = generator.sample(members, round(len(members) * share))
        delegates = []
        for organisation_id in present:
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
        starts_on = datetime.date(year, 6, 10 + index)
        record_participation(
            congress_key=slug,
            name=name,
            network=network,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=3),
            closed_at=datetime.datetime(year, 7, 1, 12, 0, tzinfo=datetime.UTC),
            delegates=delegates,
        )
