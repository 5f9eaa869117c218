"""The organisers' timetable editor, session form and programme publication (issue 12)."""

import re

import pytest
from django.urls import reverse

from badges.models import Checkpoint
from congress.models import AuditEvent, CongressRole
from sessions.models import Session, SessionSignup
from tests.factories.congress import CongressRoleFactory, TrackFactory
from tests.factories.members import PersonFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import RoomFactory, SessionFactory, SessionSpeakerFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


def _editor(congress) -> str:
    return reverse("sessions:timetable", kwargs={"slug": congress.slug})


def _schedule(congress, session) -> str:
    return reverse("sessions:session-schedule", kwargs={"slug": congress.slug, "pk": session.pk})


def _cards(html: str) -> list[tuple[str, str, str, str]]:
    """(session id, column, first row, last row) of every session placed on the grid."""
    return re.findall(
        r'<article class="tt-session[^"]*" id="session-(\d+)".*?data-col="(\d+)" '
        r'data-row="(\d+)" data-row-end="(\d+)"',
        html,
        re.S,
    )


def _to_place(html: str) -> list[str]:
    return re.findall(r'<li class="tt-session[^"]*" id="session-(\d+)"', html)


# The page ------------------------------------------------------------------------------------


def test_editor_places_sessions_by_room_and_local_time(client, congress, organiser):
    erasme = RoomFactory(congress=congress, name="Salle Erasme", position=1)
    weiss = RoomFactory(congress=congress, name="Salle Weiss", position=2)
    opening = SessionFactory(
        congress=congress, room=erasme, starts_at=at(15, 9), ends_at=at(15, 10)
    )
    workshop = SessionFactory(
        congress=congress, room=weiss, starts_at=at(16, 14, 30), ends_at=at(16, 16)
    )
    draft = SessionFactory(congress=congress, room=None, status=Session.Status.DRAFT)
    client.force_login(organiser)

    html = client.get(_editor(congress)).content.decode()

    # Rows are 15 minutes from 08:00 (row 2): 09:00 local is row 6, 14:30 is row 24.
    assert _cards(html) == [
        (str(opening.pk), "2", "6", "10"),
        (str(workshop.pk), "3", "28", "34"),
    ]
    assert _to_place(html) == [str(draft.pk)]


def test_editor_shows_a_grid_for_every_congress_day(client, congress, organiser):
    RoomFactory(congress=congress)
    client.force_login(organiser)

    html = client.get(_editor(congress)).content.decode()

    assert re.findall(r'<h2 id="day-([\d-]+)">', html) == ["2027-06-15", "2027-06-16", "2027-06-17"]


def test_editor_lists_conflicts_from_the_timetable_check(client, congress, organiser, room):
    SessionFactory(congress=congress, room=room, title="A", starts_at=at(15, 9), ends_at=at(15, 10))
    SessionFactory(congress=congress, room=room, title="B", starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    html = client.get(_editor(congress)).content.decode()

    assert re.findall(r'<h2 id="warnings-heading">([^<]*)</h2>', html) == ["1 conflict"]
    assert re.findall(
        r'data-test="warnings">\s*<li data-code="([a-z_]+)"><a[^>]*>([^<]*)<', html
    ) == [
        (
            "room_double_booked",
            "Room Salle Erasme is double-booked on 2027-06-15 from 09:00 to 10:00: “A” and “B”.",
        )
    ]


def test_old_timetable_address_redirects_to_the_editor(client, congress, organiser):
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/timetable/")

    assert (response.status_code, response["Location"]) == (302, _editor(congress))


@pytest.mark.parametrize("role", ["other_organiser", "reviewer", "checkin_staff"])
def test_editor_is_not_found_for_anyone_but_its_organisers(client, congress, other_congress, role):
    if role == "other_organiser":
        user = CongressRoleFactory(congress=other_congress, role=CongressRole.Role.ORGANISER).user
    else:
        user = CongressRoleFactory(congress=congress, role=role).user
    session = SessionFactory(congress=congress)
    client.force_login(user)

    pages = [
        client.get(_editor(congress)).status_code,
        client.post(_schedule(congress, session), {"starts_at": "2027-06-15T09:00"}).status_code,
        client.get(
            reverse("sessions:session-edit", kwargs={"slug": congress.slug, "pk": session.pk})
        ).status_code,
    ]

    assert pages == [404, 404, 404]


@pytest.mark.parametrize("count", [1, 5])
def test_editor_query_count_is_flat(client, congress, organiser, django_assert_num_queries, count):
    track = TrackFactory(congress=congress)
    for index in range(count):
        room = RoomFactory(congress=congress)
        session = SessionFactory(
            congress=congress,
            room=room,
            track=track,
            starts_at=at(15, 9 + index),
            ends_at=at(15, 10 + index),
        )
        SessionSpeakerFactory(session=session)
        SessionFactory(congress=congress, room=None, status=Session.Status.DRAFT)
    client.force_login(organiser)

    # session, user, congress, role check, rooms, sessions, speakers: 7; the shell's menu
    # reads the user's roles once: 8, whatever the number of sessions.
    with django_assert_num_queries(8):
        response = client.get(_editor(congress))

    assert len(_cards(response.content.decode())) == count


# Drag and drop: the schedule endpoint ---------------------------------------------------------


def test_schedule_moves_session_keeping_its_duration_in_local_time(
    client, congress, organiser, room
):
    other = RoomFactory(congress=congress, name="Salle Weiss", capacity=40)
    session = SessionFactory(
        congress=congress, room=room, title="Drug policy", starts_at=at(15, 9), ends_at=at(15, 10)
    )
    client.force_login(organiser)

    response = client.post(
        _schedule(congress, session),
        {"room": other.pk, "starts_at": "2027-06-16T14:30", "duration": "60"},
    )

    session.refresh_from_db()
    assert (session.room, session.starts_at, session.ends_at) == (
        other,
        at(16, 14, 30),
        at(16, 15, 30),
    )
    assert response.json() == {
        "saved": True,
        "message": "“Drug policy” is now in Salle Weiss, Wednesday 16 June, 14:30–15:30.",  # noqa: RUF001
        "warnings": [],
    }


def test_schedule_resize_sets_the_new_end(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    client.post(
        _schedule(congress, session),
        {"room": room.pk, "starts_at": "2027-06-15T09:00", "ends_at": "2027-06-15T11:15"},
    )

    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (at(15, 9), at(15, 11, 15))


def test_schedule_answers_with_the_conflicts_of_the_drop(client, congress, organiser, room):
    person = PersonFactory(name="Layla Haddad")
    SessionFactory(
        congress=congress, room=room, title="Opening", starts_at=at(15, 9), ends_at=at(15, 10)
    )
    moved = SessionFactory(congress=congress, room=None, title="Press briefing", capacity=50)
    SessionSpeakerFactory(session=moved, person=person)
    elsewhere = SessionFactory(
        congress=congress, title="Panel", starts_at=at(15, 9), ends_at=at(15, 9, 30)
    )
    SessionSpeakerFactory(session=elsewhere, person=person)
    client.force_login(organiser)

    body = client.post(
        _schedule(congress, moved),
        {"room": room.pk, "starts_at": "2027-06-15T09:15", "duration": 30},
    ).json()

    assert body["warnings"] == [
        {
            "code": "capacity_above_room",
            "message": "“Press briefing” takes 50 people but room Salle Erasme holds only 30.",
        },
        {
            "code": "room_double_booked",
            "message": "Room Salle Erasme is double-booked on 2027-06-15 from 09:15 to 09:45: "
            "“Opening” and “Press briefing”.",
        },
        {
            "code": "speaker_double_booked",
            "message": "Layla Haddad is in two places on 2027-06-15 from 09:15 to 09:30: "
            "“Panel” and “Press briefing”.",
        },
    ]


def test_schedule_warns_when_seated_people_exceed_the_new_room(client, congress, organiser):
    small = RoomFactory(congress=congress, name="Salle Weiss", capacity=1)
    session = SessionFactory(congress=congress, title="Training", requires_signup=True)
    for _ in range(2):
        SessionSignup.objects.create(
            session=session, registration=RegistrationFactory(congress=congress), state="seated"
        )
    client.force_login(organiser)

    body = client.post(
        _schedule(congress, session),
        {"room": small.pk, "starts_at": "2027-06-15T11:00", "duration": 60},
    ).json()

    assert body["warnings"] == [
        {
            "code": "capacity_above_room",
            "message": "“Training” has 2 people signed up but room Salle Weiss holds only 1.",
        }
    ]


def test_schedule_outside_congress_dates_is_saved_with_a_warning(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room, title="Pre-event")
    client.force_login(organiser)

    body = client.post(
        _schedule(congress, session),
        {"room": room.pk, "starts_at": "2027-06-18T09:00", "duration": 60},
    ).json()

    session.refresh_from_db()
    assert session.starts_at == at(18, 9)
    assert body["warnings"] == [
        {
            "code": "outside_congress_dates",
            "message": "“Pre-event” (2027-06-18) is outside the congress dates, "
            "2027-06-15 to 2027-06-17.",
        }
    ]


def test_schedule_to_a_room_of_another_congress_is_refused(
    client, congress, other_congress, organiser, room
):
    foreign = RoomFactory(congress=other_congress)
    session = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    response = client.post(
        _schedule(congress, session),
        {"room": foreign.pk, "starts_at": "2027-06-15T11:00", "duration": 60},
    )

    session.refresh_from_db()
    assert (response.status_code, response.json()) == (
        400,
        {"saved": False, "errors": ["Choose a room of this congress."]},
    )
    assert (session.room, session.starts_at) == (room, at(15, 9))


def test_schedule_back_to_the_list_takes_the_room_away(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room, title="Side event")
    client.force_login(organiser)

    body = client.post(
        _schedule(congress, session), {"room": "", "starts_at": "2027-06-15T09:00", "duration": 60}
    ).json()

    session.refresh_from_db()
    assert (session.room, body["message"]) == (
        None,
        "“Side event” is back among the sessions to place.",
    )


def test_schedule_is_audited_and_marks_a_published_session_changed(
    client, congress, organiser, room
):
    session = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    client.post(
        _schedule(congress, session),
        {"room": room.pk, "starts_at": "2027-06-15T10:00", "duration": 60},
    )

    session.refresh_from_db()
    event = AuditEvent.objects.get(action="session.changed")
    assert (event.actor, event.target_id) == (organiser, str(session.pk))
    assert session.changed_after_publication_at is not None


def test_schedule_keeps_the_session_door_checkpoint_in_step(
    client, congress, organiser, room, django_capture_on_commit_callbacks
):
    session = SessionFactory(congress=congress, room=room, title="Litigation", requires_signup=True)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _schedule(congress, session),
            {"room": room.pk, "starts_at": "2027-06-15T10:00", "duration": 60},
        )

    assert list(Checkpoint.objects.filter(session=session).values_list("name", "is_active")) == [
        ("Litigation", True)
    ]


def test_schedule_bad_time_is_refused_with_a_message(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room)
    client.force_login(organiser)

    response = client.post(
        _schedule(congress, session),
        {"room": room.pk, "starts_at": "2027-06-15T10:00", "ends_at": "2027-06-15T09:00"},
    )

    assert (response.status_code, response.json()["errors"]) == (
        400,
        ["A session cannot end before it starts."],
    )


# The session form ------------------------------------------------------------------------------


def _form_data(room_, track_, **overrides):
    data = {
        "title_en": "Litigating drug cases",
        "title_fr": "Plaider les affaires de drogue",
        "title_ar": "التقاضي في قضايا المخدرات",
        "description_en": "",
        "description_fr": "",
        "description_ar": "",
        "kind": "workshop",
        "track": track_.pk,
        "room": room_.pk,
        "starts_at": "2027-06-16T09:30",
        "ends_at": "2027-06-16T11:00",
        "floor_language": "en",
        "interpretation_languages": ["fr", "ar"],
        "capacity": "",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def _channel_rows(*rows: tuple[str, str]) -> dict[str, str]:
    data = {"channels-TOTAL_FORMS": str(len(rows)), "channels-INITIAL_FORMS": "0"}
    for index, (language, channel) in enumerate(rows):
        data[f"channels-{index}-language"] = language
        data[f"channels-{index}-channel"] = channel
    return data


def test_session_form_stores_stream_link_and_channels_shown_on_session_page(
    client, congress, organiser, room
):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    client.post(
        reverse("sessions:session-create", kwargs={"slug": congress.slug}),
        _form_data(
            room,
            track,
            stream_url="https://stream.example.org/drugs",
            **_channel_rows(("ar", "3"), ("", ""), ("fr", "1")),
        ),
    )
    session = Session.objects.get()
    session.status = Session.Status.PUBLISHED
    session.save()
    page = client.get(
        reverse("sessions:session", kwargs={"slug": congress.slug, "pk": session.pk})
    ).content.decode()

    assert session.stream_url == "https://stream.example.org/drugs"
    assert list(session.interpretation_channels.values_list("language", "channel")) == [
        ("fr", 1),
        ("ar", 3),
    ]
    assert re.findall(r'<dd data-test="channels">(.*?)</dd>', page) == [
        "French: channel 1 · Arabic: channel 3"
    ]


def test_session_form_shows_the_session_channels_as_rows(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room)
    session.interpretation_channels.create(congress=congress, language="ar", channel=3)
    client.force_login(organiser)

    html = client.get(
        reverse("sessions:session-edit", kwargs={"slug": congress.slug, "pk": session.pk})
    ).content.decode()

    assert re.findall(r'name="channels-0-channel" value="(\d+)"', html) == ["3"]
    assert re.findall(r'<option value="ar" selected>', html) == ['<option value="ar" selected>']


def test_session_form_empty_channel_rows_give_back_the_room_channels(
    client, congress, organiser, room
):
    track = TrackFactory(congress=congress)
    session = SessionFactory(congress=congress, room=room)
    session.interpretation_channels.create(congress=congress, language="ar", channel=3)
    client.force_login(organiser)

    client.post(
        reverse("sessions:session-edit", kwargs={"slug": congress.slug, "pk": session.pk}),
        _form_data(room, track, **_channel_rows(("", ""))),
    )

    assert list(session.interpretation_channels.all()) == []


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ((("fr", "1"), ("ar", "1")), ["Channel 1 is given twice: one language per channel."]),
        ((("fr", ""),), [{"channel": ["Give the channel number for this language."]}]),
        ((("", "2"),), [{"language": ["Choose the language of this channel."]}]),
    ],
)
def test_session_form_refuses_bad_channel_rows(client, congress, organiser, room, rows, errors):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        reverse("sessions:session-create", kwargs={"slug": congress.slug}),
        _form_data(room, track, **_channel_rows(*rows)),
    )

    channels = response.context["channels"]
    found = channels.non_form_errors() or [form.errors for form in channels.forms if form.errors]
    assert list(found) == errors
    assert Session.objects.count() == 0


def test_session_form_refuses_a_stream_link_that_is_not_https(client, congress, organiser, room):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        reverse("sessions:session-create", kwargs={"slug": congress.slug}),
        _form_data(room, track, stream_url="http://stream.example.org/live"),
    )

    assert response.context["form"].errors == {
        "stream_url": ["Give a secure link starting with https://."]
    }
    assert Session.objects.count() == 0


def test_session_form_creates_session_in_local_time_with_translations(
    client, congress, organiser, room
):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        reverse("sessions:session-create", kwargs={"slug": congress.slug}),
        _form_data(room, track),
    )

    session = Session.objects.get()
    assert response["Location"] == _editor(congress)
    assert (
        session.title,
        session.title_translations,
        session.starts_at,
        session.ends_at,
        session.room,
        session.track,
        session.interpretation_languages,
        session.status,
    ) == (
        "Litigating drug cases",
        {
            "en": "Litigating drug cases",
            "fr": "Plaider les affaires de drogue",
            "ar": "التقاضي في قضايا المخدرات",
        },
        at(16, 9, 30),
        at(16, 11),
        room,
        track,
        ["fr", "ar"],
        Session.Status.DRAFT,
    )


def test_session_form_shows_times_in_congress_zone(client, congress, organiser, room):
    session = SessionFactory(congress=congress, room=room, starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    html = client.get(
        reverse("sessions:session-edit", kwargs={"slug": congress.slug, "pk": session.pk})
    ).content.decode()

    assert re.findall(r'name="(starts_at|ends_at)" value="([^"]+)"', html) == [
        ("starts_at", "2027-06-15T09:00"),
        ("ends_at", "2027-06-15T10:00"),
    ]


def test_session_form_refuses_track_and_room_of_another_congress(
    client, congress, other_congress, organiser, room
):
    track = TrackFactory(congress=congress)
    foreign_room = RoomFactory(congress=other_congress)
    foreign_track = TrackFactory(congress=other_congress)
    client.force_login(organiser)

    response = client.post(
        reverse("sessions:session-create", kwargs={"slug": congress.slug}),
        _form_data(room, track, room=foreign_room.pk, track=foreign_track.pk),
    )

    form = response.context["form"]
    assert form.errors == {
        "track": ["Select a valid choice. That choice is not one of the available choices."],
        "room": ["Select a valid choice. That choice is not one of the available choices."],
    }
    assert Session.objects.count() == 0


def test_session_form_end_before_start_shows_translated_error_and_keeps_input(
    client, congress, organiser, room
):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/manage/timetable/sessions/new/",
        _form_data(room, track, ends_at="2027-06-16T08:00"),
    )

    html = response.content.decode()
    assert response.context["form"].errors == {
        "ends_at": ["Une session ne peut pas se terminer avant de commencer."]
    }
    assert re.findall(r'name="title_fr" value="([^"]*)"', html) == [
        "Plaider les affaires de drogue"
    ]
    assert Session.objects.count() == 0


def test_session_form_offers_only_this_congress_rooms_and_tracks(
    client, congress, other_congress, organiser, room
):
    TrackFactory(congress=congress, name="Drug policy")
    TrackFactory(congress=other_congress, name="Drug policy 2025")
    RoomFactory(congress=other_congress, name="Foreign room")
    client.force_login(organiser)

    response = client.get(reverse("sessions:session-create", kwargs={"slug": congress.slug}))

    form = response.context["form"]
    assert [label for _value, label in form.fields["track"].choices] == ["No track", "Drug policy"]
    assert [label for _value, label in form.fields["room"].choices] == [
        "Not in a room yet",
        "Salle Erasme (30 seats)",
    ]


# Publishing ----------------------------------------------------------------------------------


def test_publish_then_unpublish_programme(client, congress, organiser):
    draft = SessionFactory(congress=congress, status=Session.Status.DRAFT)
    cancelled = SessionFactory(congress=congress, status=Session.Status.CANCELLED)
    client.force_login(organiser)

    client.post(reverse("sessions:programme-publish", kwargs={"slug": congress.slug}))
    draft.refresh_from_db()
    published_state = draft.status

    response = client.post(
        reverse("sessions:programme-unpublish", kwargs={"slug": congress.slug}), follow=True
    )

    draft.refresh_from_db()
    cancelled.refresh_from_db()
    assert (published_state, draft.status, cancelled.status) == ("published", "draft", "cancelled")
    assert [str(m) for m in response.context["messages"]] == [
        "1 session is now public.",
        "1 session is no longer public.",
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="programme.")
        .order_by("pk")
        .values_list("action", "detail")
    ) == [
        ("programme.published", {"sessions": 1}),
        ("programme.unpublished", {"sessions": 1}),
    ]


def test_unpublished_programme_is_gone_from_the_public_page(client, congress, organiser):
    SessionFactory(congress=congress, title="Opening plenary")
    client.force_login(organiser)
    client.post(reverse("sessions:programme-unpublish", kwargs={"slug": congress.slug}))
    client.logout()

    html = client.get(f"/en/congresses/{congress.slug}/programme/").content.decode()

    assert re.findall(r'<h3 class="session-title"[^>]*>(.*?)</h3>', html, re.S) == []
