import datetime

import factory

from sessions.models import Room, Session, SessionSignup, SessionSpeaker
from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory
from tests.factories.registrations import RegistrationFactory


class RoomFactory(BaseFactory):
    class Meta:
        model = Room

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 100


class SessionFactory(BaseFactory):
    class Meta:
        model = Session

    congress = factory.SubFactory(CongressFactory)
    kind = Session.Kind.WORKSHOP
    status = Session.Status.PUBLISHED
    title = factory.Sequence(lambda n: f"Session {n}")
    starts_at = datetime.datetime(2027, 6, 15, 9, 0, tzinfo=datetime.UTC)
    ends_at = datetime.datetime(2027, 6, 15, 10, 30, tzinfo=datetime.UTC)


class SessionSignupFactory(BaseFactory):
    class Meta:
        model = SessionSignup

    session = factory.SubFactory(SessionFactory)
    registration = factory.SubFactory(
        RegistrationFactory, congress=factory.SelfAttribute("..session.congress")
    )
    state = SessionSignup.State.SEATED


class SessionSpeakerFactory(BaseFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = SessionSpeaker.Role.SPEAKER
