import datetime

import pytest

from tests.factories.sessions import RoomFactory, SessionFactory

PARIS = datetime.timezone(datetime.timedelta(hours=2))  # Europe/Paris in June (CEST)


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A June 2027 time in Paris summer time, the factories' congress time zone."""
    return datetime.datetime(2027, 6, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def room(congress):
    return RoomFactory(congress=congress, name="Salle Erasme", capacity=30)


@pytest.fixture
def workshop(congress, room):
    return SessionFactory(
        congress=congress,
        room=room,
        title="Litigating drug cases",
        requires_signup=True,
        capacity=2,
        starts_at=at(15, 11),
        ends_at=at(15, 12, 30),
    )
