"""Interpretation channels per room or session, on the session page and the programme PDF."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from sessions.models import InterpretationChannel
from sessions.programme_pdf import render_programme_pdf
from sessions.queries import interpretation_channels, programme_sessions
from tests.factories.sessions import RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plenary_hall(congress):
    room = RoomFactory(congress=congress, name="Plenary hall")
    for language, channel in (("fr", 1), ("ar", 3), ("es", 4)):
        InterpretationChannel.objects.create(
            congress=congress, room=room, language=language, channel=channel
        )
    return room


def test_session_uses_its_rooms_channels_unless_it_has_its_own(congress, plenary_hall):
    in_hall = SessionFactory(congress=congress, room=plenary_hall)
    own = SessionFactory(congress=congress, room=plenary_hall)
    InterpretationChannel.objects.create(congress=congress, session=own, language="en", channel=2)

    guide = interpretation_channels(congress=congress)

    assert guide.for_session(in_hall) == [("fr", 1), ("ar", 3), ("es", 4)]
    assert guide.for_session(own) == [("en", 2)]


def test_channel_belongs_to_a_room_or_a_session_not_both(congress, plenary_hall):
    session = SessionFactory(congress=congress)

    with pytest.raises(IntegrityError):
        InterpretationChannel.objects.create(
            congress=congress, room=plenary_hall, session=session, language="fr", channel=9
        )


def test_session_page_shows_the_channels(client, congress, plenary_hall):
    session = SessionFactory(congress=congress, room=plenary_hall)

    body = client.get(
        reverse("sessions:session", kwargs={"slug": congress.slug, "pk": session.pk})
    ).content.decode()

    start = body.index('<dd data-test="channels">')
    assert body[start : body.index("</dd>", start)] == (
        '<dd data-test="channels">French: channel 1 · Arabic: channel 3 · Spanish: channel 4'
    )


def test_programme_pdf_prints_the_channels(congress, plenary_hall, pdf_text):
    SessionFactory(congress=congress, room=plenary_hall)

    pdf = render_programme_pdf(
        congress=congress, sessions=programme_sessions(congress=congress), title="Programme"
    )

    assert "Interpretation channels: French 1 · Arabic 3 · Spanish 4" in pdf_text(pdf)
