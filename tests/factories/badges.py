import factory
from django.utils import timezone

from badges.models import BadgeTemplate, CheckIn, Checkpoint, Credential
from badges.services.credentials import new_token
from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import RoomFactory


class CredentialFactory(BaseFactory):
    class Meta:
        model = Credential

    registration = factory.SubFactory(RegistrationFactory)
    # The issuing service's own tokens: the badge QR has a fixed version sized for them.
    token = factory.LazyFunction(new_token)


class CheckpointFactory(BaseFactory):
    class Meta:
        model = Checkpoint

    congress = factory.SubFactory(CongressFactory)
    kind = Checkpoint.Kind.ENTRANCE
    name = "Entrance"


class CheckInFactory(BaseFactory):
    class Meta:
        model = CheckIn

    checkpoint = factory.SubFactory(CheckpointFactory)
    credential = factory.SubFactory(
        CredentialFactory,
        registration__congress=factory.SelfAttribute("...checkpoint.congress"),
    )
    checked_in_at = factory.LazyFunction(timezone.now)
    day = factory.LazyAttribute(lambda checkin: checkin.checked_in_at.date())


class BadgeTemplateFactory(BaseFactory):
    class Meta:
        model = BadgeTemplate

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Badge template {n}")
    size = BadgeTemplate.Size.A6


class RoomCheckpointFactory(CheckpointFactory):
    """A programme room's door (a plenary hall)."""

    kind = Checkpoint.Kind.ROOM
    name = factory.Sequence(lambda n: f"Hall {n}")
    room = factory.SubFactory(RoomFactory, congress=factory.SelfAttribute("..congress"))
