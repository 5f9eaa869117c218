import pytest

from sessions.models import Session
from sessions.services import check_session, check_timetable
from tests.factories.members import PersonFactory
from tests.factories.sessions import RoomFactory, SessionFactory, SessionSpeakerFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


def _codes(warnings):
    return [(w.code, w.session_id, w.other_session_id) for w in warnings]


def test_check_timetable_room_double_booked_names_room_titles_and_overlap(congress, room):
    first = SessionFactory(
        congress=congress, room=room, title="Opening", starts_at=at(15, 9), ends_at=at(15, 10)
    )
    second = SessionFactory(
        congress=congress,
        room=room,
        title="Press briefing",
        starts_at=at(15, 9, 30),
        ends_at=at(15, 11),
    )

    warnings = check_timetable(congress=congress)

    assert _codes(warnings) == [("room_double_booked", first.pk, second.pk)]
    assert warnings[0].message == (
        "Room Salle Erasme is double-booked on 2027-06-15 from 09:30 to 10:00: "
        "“Opening” and “Press briefing”."
    )


def test_check_timetable_back_to_back_in_one_room_has_no_warning(congress, room):
    SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    SessionFactory(congress=congress, room=room, starts_at=at(15, 10), ends_at=at(15, 11))

    assert check_timetable(congress=congress) == []


def test_check_timetable_cancelled_session_is_ignored(congress, room):
    SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    SessionFactory(
        congress=congress,
        room=room,
        status=Session.Status.CANCELLED,
        starts_at=at(15, 9),
        ends_at=at(15, 10),
    )

    assert check_timetable(congress=congress) == []


def test_check_timetable_speaker_in_two_places_names_person(congress):
    person = PersonFactory(name="Layla Haddad")
    first = SessionFactory(congress=congress, title="A", starts_at=at(16, 14), ends_at=at(16, 15))
    second = SessionFactory(
        congress=congress, title="B", starts_at=at(16, 14, 30), ends_at=at(16, 16)
    )
    SessionSpeakerFactory(session=first, person=person)
    SessionSpeakerFactory(session=second, person=person, role="moderator")

    warnings = check_timetable(congress=congress)

    assert _codes(warnings) == [("speaker_double_booked", first.pk, second.pk)]
    assert warnings[0].message == (
        "Layla Haddad is in two places on 2027-06-16 from 14:30 to 15:00: “A” and “B”."
    )


def test_check_timetable_session_outside_congress_dates(congress):
    session = SessionFactory(
        congress=congress, title="Pre-event", starts_at=at(14, 18), ends_at=at(14, 19)
    )

    warnings = check_timetable(congress=congress)

    assert _codes(warnings) == [("outside_congress_dates", session.pk, None)]
    assert warnings[0].message == (
        "“Pre-event” (2027-06-14) is outside the congress dates, 2027-06-15 to 2027-06-17."
    )


def test_check_timetable_late_evening_utc_is_judged_in_congress_time_zone(congress):
    # 23:30 UTC on the 17th is already 01:30 on the 18th in Paris: after the congress.
    import datetime

    utc = datetime.UTC
    session = SessionFactory(
        congress=congress,
        starts_at=datetime.datetime(2027, 6, 17, 23, 30, tzinfo=utc),
        ends_at=datetime.datetime(2027, 6, 18, 0, 30, tzinfo=utc),
    )

    assert _codes(check_timetable(congress=congress)) == [
        ("outside_congress_dates", session.pk, None)
    ]


def test_check_timetable_capacity_above_room(congress):
    small = RoomFactory(congress=congress, name="Salle Weiss", capacity=8)
    session = SessionFactory(congress=congress, room=small, title="Training", capacity=20)

    warnings = check_timetable(congress=congress)

    assert _codes(warnings) == [("capacity_above_room", session.pk, None)]
    assert warnings[0].message == "“Training” takes 20 people but room Salle Weiss holds only 8."


def test_check_timetable_ignores_other_congress(congress, other_congress):
    other_room = RoomFactory(congress=other_congress)
    SessionFactory(congress=other_congress, room=other_room)
    SessionFactory(congress=other_congress, room=other_room)

    assert check_timetable(congress=congress) == []


def test_check_session_returns_only_its_conflicts(congress, room):
    first = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    second = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    alone = SessionFactory(congress=congress, starts_at=at(14, 9), ends_at=at(14, 10))

    assert _codes(check_session(session=second)) == [("room_double_booked", first.pk, second.pk)]
    assert _codes(check_session(session=alone)) == [("outside_congress_dates", alone.pk, None)]


@pytest.mark.parametrize("size", [2, 8])
def test_check_timetable_query_count_is_flat(congress, room, django_assert_num_queries, size):
    for index in range(size):
        session = SessionFactory(
            congress=congress, room=room, starts_at=at(15, 8 + index), ends_at=at(15, 8 + index, 30)
        )
        SessionSpeakerFactory(session=session)

    with django_assert_num_queries(2):  # sessions with rooms, speakers with people
        check_timetable(congress=congress)
