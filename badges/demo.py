"""Demo step for badges (order 40): credentials for every confirmed registration, the
entrance, session and room checkpoints (the plenaries' hall), and a realistic spread of
check-ins so reports have data.

Idempotent: credentials are issued only where missing, and every demo scan has a
deterministic scan id (uuid5), so a second run adds nothing."""

import datetime
import random
import uuid
from typing import TextIO

from django.db import transaction

from badges.models import CheckIn, Checkpoint, Credential, Scan
from badges.services import (
    entrance_checkpoint,
    issue_credentials_for_congress,
    sync_session_checkpoints,
)
from congress.models import Congress
from sessions.models import Session, SessionSignup

_NAMESPACE = uuid.UUID("6f1c7f2e-52a4-4c51-9a57-3f3b8c1f2b40")


def _record(*, congress, credential, checkpoint, moment, key: str = "") -> None:
    """One admitted scan; `key` tells apart several scans at one door on one day."""
    day = moment.astimezone(congress.tzinfo).date()
    scan_id = uuid.uuid5(_NAMESPACE, f"{credential.pk}:{checkpoint.pk}:{day.isoformat()}{key}")
    if Scan.objects.filter(scan_id=scan_id).exists():
        return
    checkin, _created = CheckIn.objects.get_or_create(
        credential=credential,
        checkpoint=checkpoint,
        day=day,
        defaults={"checked_in_at": moment, "scan_id": scan_id},
    )
    Scan.objects.create(
        congress=congress,
        checkpoint=checkpoint,
        credential=credential,
        checkin=checkin,
        scan_id=scan_id,
        result=Scan.Result.OK,
        device_id="demo-door",
        scanned_at=moment,
        received_at=moment,
    )


def _congress_checkins(congress: Congress, stdout: TextIO) -> None:
    issued = issue_credentials_for_congress(congress=congress)
    entrance = entrance_checkpoint(congress=congress)
    # The programme's demo saves sessions through its service, whose `session_saved` makes
    # the checkpoints after commit; syncing here too keeps this step right on its own.
    sync_session_checkpoints(congress=congress)
    randomiser = random.Random(congress.slug)
    credentials = list(
        Credential.objects.filter(
            registration__congress=congress, revoked_at__isnull=True
        ).order_by("pk")
    )
    days = (congress.ends_on - congress.starts_on).days + 1
    present: set[tuple[int, datetime.date]] = set()  # (credential, day) seen at the entrance
    for credential in credentials:
        for offset in range(days):
            if randomiser.random() < 0.82 - 0.1 * offset:
                moment = datetime.datetime.combine(
                    congress.starts_on + datetime.timedelta(days=offset),
                    datetime.time(8, randomiser.randint(0, 59)),
                    tzinfo=congress.tzinfo,
                )
                _record(
                    congress=congress, credential=credential, checkpoint=entrance, moment=moment
                )
                present.add((credential.pk, moment.date()))
    _plenary_hall_scans(congress, credentials, present, randomiser)
    by_registration = {credential.registration_id: credential for credential in credentials}
    checkpoints = Checkpoint.objects.filter(congress=congress, session__isnull=False)
    for checkpoint in checkpoints.select_related("session"):
        seated = SessionSignup.objects.filter(
            session=checkpoint.session, state=SessionSignup.State.SEATED
        ).values_list("registration_id", flat=True)
        for registration_id in seated:
            credential = by_registration.get(registration_id)
            if credential and randomiser.random() < 0.85:
                moment = checkpoint.session.starts_at + datetime.timedelta(
                    minutes=randomiser.randint(-10, 12)
                )
                _record(
                    congress=congress, credential=credential, checkpoint=checkpoint, moment=moment
                )
    stdout.write(
        f"badges: {congress.slug}: {issued} credentials issued, "
        f"{CheckIn.objects.filter(checkpoint__congress=congress).count()} check-ins\n"
    )


def _plenary_hall_scans(congress, credentials, present, randomiser) -> None:
    """A door at each plenary room, where most people present that day are scanned as the
    plenary starts (the plenaries count through room doors, the default rule)."""
    plenaries = Session.objects.filter(
        congress=congress, kind=Session.Kind.PLENARY, room__isnull=False
    ).select_related("room")
    for plenary in plenaries.order_by("starts_at", "pk"):
        door, _created = Checkpoint.objects.get_or_create(
            congress=congress,
            kind=Checkpoint.Kind.ROOM,
            room=plenary.room,
            defaults={"name": plenary.room.name},
        )
        day = plenary.starts_at.astimezone(congress.tzinfo).date()
        for credential in credentials:
            if (credential.pk, day) in present and randomiser.random() < 0.75:
                moment = plenary.starts_at + datetime.timedelta(minutes=randomiser.randint(-15, 10))
                _record(
                    congress=congress,
                    credential=credential,
                    checkpoint=door,
                    moment=moment,
                    key=f":{plenary.pk}",
                )


def load_badges_demo(stdout: TextIO) -> None:
    with transaction.atomic():
        # Archived congresses (the membership history) had their doors long ago.
        for congress in Congress.objects.exclude(status=Congress.Status.ARCHIVED).order_by("pk"):
            _congress_checkins(congress, stdout)
