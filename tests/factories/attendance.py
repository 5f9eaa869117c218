"""Factories and helpers for attendance tests: session doors and scans at a given time."""

import datetime

import factory

from badges.models import CheckIn, Checkpoint, Credential
from tests.factories.badges import CheckpointFactory, CredentialFactory
from tests.factories.sessions import SessionFactory


class SessionCheckpointFactory(CheckpointFactory):
    kind = Checkpoint.Kind.SESSION
    name = factory.Sequence(lambda n: f"Door {n}")
    session = factory.SubFactory(SessionFactory, congress=factory.SelfAttribute("..congress"))


def scan(registration, checkpoint: Checkpoint, at: datetime.datetime) -> CheckIn:
    """A check-in of `registration` at `checkpoint` at `at` (issues a badge when needed)."""
    credential = Credential.objects.filter(
        registration=registration, revoked_at__isnull=True
    ).first() or CredentialFactory(registration=registration)
    day = at.astimezone(checkpoint.congress.tzinfo).date()
    return CheckIn.objects.create(
        credential=credential, checkpoint=checkpoint, day=day, checked_in_at=at
    )


def at(hour: int, minute: int = 0, day: int = 15) -> datetime.datetime:
    return datetime.datetime(2027, 6, day, hour, minute, tzinfo=datetime.UTC)


def session_door(congress, start: datetime.datetime, end: datetime.datetime, **session_fields):
    return SessionCheckpointFactory(
        congress=congress,
        session__starts_at=start,
        session__ends_at=end,
        **{f"session__{key}": value for key, value in session_fields.items()},
    )
