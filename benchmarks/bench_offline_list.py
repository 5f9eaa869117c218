"""Offline list of the check-in scanner for 5,000 participants (issue 16): the salted token
hashes a scanning device downloads before doors open and every 3 minutes (revocations and
"inside now" included). Figures: the time to build the list in the service
(`offline_token_list`), the whole request through the stack
(`GET .../checkins/offline-list/?checkpoint=ID` as check-in staff), and in the notes the
size of the JSON as sent (raw and gzip-compressed, as a reverse proxy would send it).
Data: 5,000 confirmed registrations with a badge, 100 revoked, 2,000 checked in at the
entrance today. Run: `python benchmarks/bench_offline_list.py` (BENCH_PARTICIPANTS=N).
"""

import datetime
import gzip
import json
import os
import secrets

import harness

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def build_data(participants: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from badges.models import CheckIn, Checkpoint, Credential
    from congress.models import Congress, CongressRole
    from members.models import Person
    from registrations.models import Registration, RegistrationCategory

    today = timezone.now().date()
    congress = Congress.objects.create(
        slug="bench-offline",
        name="Bench congress",
        kind="world",
        status="published",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
        timezone="UTC",
        city="Paris",
        country="FR",
        working_languages=["en"],
    )
    categories = RegistrationCategory.objects.bulk_create(
        RegistrationCategory(congress=congress, code=f"c{n}", kind="participant", name=f"Cat {n}")
        for n in range(4)
    )
    people = Person.objects.bulk_create(
        (Person(name=f"Person {n}", latin_name=f"Person {n}") for n in range(participants)),
        batch_size=1000,
    )
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                congress=congress, person=person, category=categories[n % 4], status="confirmed"
            )
            for n, person in enumerate(people)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    credentials = Credential.objects.bulk_create(
        (
            Credential(
                registration=registration,
                token=secrets.token_urlsafe(16),
                revoked_at=now if n < 100 else None,
                revoked_reason="banned" if n < 100 else "",
            )
            for n, registration in enumerate(registrations)
        ),
        batch_size=1000,
    )
    entrance = Checkpoint.objects.create(congress=congress, kind="entrance", name="Entrance")
    CheckIn.objects.bulk_create(
        (
            CheckIn(credential=credential, checkpoint=entrance, day=today, checked_in_at=now)
            for credential in credentials[100 : 100 + participants * 2 // 5]
        ),
        batch_size=1000,
    )
    staff = get_user_model().objects.create_user(username="bench-door", password="x")  # noqa: S106
    CongressRole.objects.create(congress=congress, user=staff, role="checkin_staff")
    return congress, entrance, staff


def run() -> list[dict]:
    from django.test import Client

    from badges.services import offline_token_list

    congress, entrance, staff = build_data(PARTICIPANTS)
    baseline = harness.baseline_ms()
    build = harness.median_ms(
        lambda: offline_token_list(congress=congress, checkpoint=entrance), runs=RUNS
    )
    client = Client()
    client.force_login(staff)
    url = f"/api/v1/congresses/{congress.slug}/checkins/offline-list/?checkpoint={entrance.pk}"
    request = harness.median_ms(lambda: client.get(url), runs=RUNS)
    body = client.get(url).content
    entries = len(json.loads(body)["entries"])
    size = (
        f"{entries} entries; JSON {len(body) / 1024:.0f} KB "
        f"({len(body) / entries:.0f} B an entry), gzip {len(gzip.compress(body)) / 1024:.0f} KB"
    )
    label = f"{PARTICIPANTS:,} participants"
    return [
        harness.figure(f"offline list built, {label}", build, baseline, RUNS, notes=size),
        harness.figure(
            f"GET offline-list through the stack, {label}", request, baseline, RUNS, notes=size
        ),
    ]


if __name__ == "__main__":
    harness.setup_django()
    for result in run():
        print(result)
