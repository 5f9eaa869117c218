import pytest

from congress.models import Congress
from registrations.models import Registration
from registrations.self_service import issue_access_token
from sessions.models import Session, SessionSignup
from tests.factories.congress import TrackFactory
from tests.factories.members import PersonFactory, UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import RoomFactory, SessionFactory, SessionSpeakerFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


def _url(congress, suffix=""):
    return f"/api/v1/congresses/{congress.slug}/sessions/{suffix}"


def test_session_list_shows_published_sessions_in_congress_time(api_client, congress, room):
    SessionFactory(congress=congress, room=room, title="Opening", starts_at=at(15, 9))
    SessionFactory(congress=congress, title="Draft", status=Session.Status.DRAFT)
    SessionFactory(title="Other congress")

    response = api_client.get(_url(congress))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["title"], row["starts_at"], row["room"]["name"]) for row in rows] == [
        ("Opening", "2027-06-15T09:00:00+02:00", "Salle Erasme")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("track=media", ["Media training"]),
        ("language=ar", ["Arabic floor", "Media training"]),
        ("date=2027-06-16", ["Second day"]),
        ("q=haddad", ["Arabic floor"]),
        ("q=MEDIA", ["Media training"]),
    ],
)
def test_session_list_filters(api_client, congress, query, expected):
    media = TrackFactory(congress=congress, slug="media")
    SessionFactory(
        congress=congress,
        title="Media training",
        track=media,
        interpretation_languages=["fr", "ar"],
        starts_at=at(15, 9),
    )
    arabic = SessionFactory(
        congress=congress, title="Arabic floor", floor_language="ar", starts_at=at(15, 8)
    )
    SessionSpeakerFactory(session=arabic, person=PersonFactory(latin_name="Layla Haddad"))
    SessionFactory(congress=congress, title="Second day", starts_at=at(16, 9), ends_at=at(16, 10))

    response = api_client.get(_url(congress) + "?" + query)

    assert [row["title"] for row in response.json()["results"]] == expected


def test_session_list_bad_date_is_400(api_client, congress):
    response = api_client.get(_url(congress) + "?date=16-06-2027")

    assert response.status_code == 400
    assert response.json() == {"date": ["Use the format YYYY-MM-DD."]}


def test_session_list_of_draft_congress_is_not_found(api_client):
    draft = SessionFactory(congress__status=Congress.Status.DRAFT).congress

    assert api_client.get(_url(draft)).status_code == 404


def test_session_list_leaves_out_protected_speaker(api_client, congress):
    session = SessionFactory(congress=congress)
    visible = PersonFactory(name="Visible Speaker")
    protected = PersonFactory(name="Protected Speaker")
    RegistrationFactory(congress=congress, person=protected, is_protected=True)
    SessionSpeakerFactory(session=session, person=visible, position=0)
    SessionSpeakerFactory(session=session, person=protected, position=1)

    response = api_client.get(_url(congress))

    speakers = response.json()["results"][0]["speakers"]
    assert [speaker["name"] for speaker in speakers] == ["Visible Speaker"]
    assert api_client.get(_url(congress) + "?q=Protected").json()["results"] == []


@pytest.mark.parametrize("count", [2, 8])
def test_session_list_query_count_is_flat(api_client, congress, django_assert_num_queries, count):
    track = TrackFactory(congress=congress)
    for index in range(count):
        session = SessionFactory(
            congress=congress,
            track=track,
            room=RoomFactory(congress=congress),
            starts_at=at(15, 8 + index),
            ends_at=at(15, 8 + index, 45),
        )
        SessionSpeakerFactory.create_batch(2, session=session)

    with django_assert_num_queries(4):  # congress, count, sessions, speakers
        response = api_client.get(_url(congress))

    assert len(response.json()["results"]) == count


def test_session_list_entry_equals_session_detail(api_client, congress, room):
    session = SessionFactory(
        congress=congress,
        room=room,
        track=TrackFactory(congress=congress, name="Drugs", name_translations={"fr": "Drogues"}),
        title="Death penalty and drugs",
        title_translations={"fr": "Peine de mort et drogues"},
        description="Lawyers' workshop",
        interpretation_languages=["ar"],
        requires_signup=True,
        changed_after_publication_at=at(1, 10),
    )
    SessionSpeakerFactory(session=session, person=PersonFactory(name="محمد رضایی"))
    SessionSignup.objects.create(
        session=session, registration=RegistrationFactory(congress=congress), state="seated"
    )

    listed = api_client.get(_url(congress), HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    detail = api_client.get(_url(congress, f"{session.pk}/"), HTTP_ACCEPT_LANGUAGE="fr").json()

    assert listed == [detail]
    assert detail["title"] == "Peine de mort et drogues"
    assert detail["track"]["name"] == "Drogues"
    assert detail["seats_taken"] == 1
    assert detail["changed_after_publication_at"] == "2027-06-01T08:00:00Z"


def _payload(**overrides):
    return {
        "kind": "workshop",
        "status": "published",
        "title": "Litigating drug cases",
        "starts_at": "2027-06-15T11:00:00+02:00",
        "ends_at": "2027-06-15T12:30:00+02:00",
        "capacity": 12,
        "requires_signup": True,
        **overrides,
    }


def test_session_create_by_organiser_returns_session_and_warnings(
    token_client, congress, organiser, room
):
    SessionFactory(congress=congress, room=room, starts_at=at(15, 11), ends_at=at(15, 12))
    person = PersonFactory(name="Amina")

    response = token_client(organiser).post(
        _url(congress),
        _payload(room=room.pk, speakers=[{"person": person.pk, "role": "moderator"}]),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["capacity"], body["speakers"][0]["name"]) == (
        "Litigating drug cases",
        12,
        "Amina",
    )
    assert [warning["code"] for warning in body["warnings"]] == ["room_double_booked"]


def test_session_create_ending_before_start_is_400_with_code(token_client, congress, organiser):
    response = token_client(organiser).post(
        _url(congress), _payload(ends_at="2027-06-15T10:00:00+02:00"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "session_ends_before_start",
        "detail": "A session cannot end before it starts.",
    }


def test_session_create_with_room_of_other_congress_is_400(
    token_client, congress, organiser, other_congress
):
    foreign_room = RoomFactory(congress=other_congress)

    response = token_client(organiser).post(
        _url(congress), _payload(room=foreign_room.pk), format="json"
    )

    assert response.status_code == 400
    assert Session.objects.count() == 0


@pytest.mark.parametrize("role", ["checkin_staff", "reviewer", "other_organiser"])
def test_session_create_by_non_organiser_is_forbidden(
    token_client, congress, other_congress, role, checkin_staff, reviewer
):
    from tests.factories.congress import CongressRoleFactory

    user = {
        "checkin_staff": checkin_staff,
        "reviewer": reviewer,
        "other_organiser": CongressRoleFactory(congress=other_congress).user,
    }[role]

    response = token_client(user).post(_url(congress), _payload(), format="json")

    assert response.status_code == 403
    assert Session.objects.count() == 0


def test_session_patch_by_organiser_moves_it(token_client, congress, organiser):
    session = SessionFactory(congress=congress)

    response = token_client(organiser).patch(
        _url(congress, f"{session.pk}/"),
        {"starts_at": "2027-06-16T09:00:00+02:00", "ends_at": "2027-06-16T10:00:00+02:00"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["starts_at"] == "2027-06-16T09:00:00+02:00"
    assert response.json()["changed_after_publication_at"] is not None


def test_session_delete_with_signups_is_409(token_client, congress, organiser, workshop):
    RegistrationFactory(congress=congress)
    SessionSignup.objects.create(
        session=workshop, registration=RegistrationFactory(congress=congress), state="seated"
    )

    response = token_client(organiser).delete(_url(congress, f"{workshop.pk}/"))

    assert response.status_code == 409
    assert response.json()["code"] == "session_has_signups"


def test_timetable_check_for_organiser_lists_warnings(token_client, congress, organiser):
    session = SessionFactory(
        congress=congress, title="Early", starts_at=at(14, 9), ends_at=at(14, 10)
    )

    response = token_client(organiser).get(f"/api/v1/congresses/{congress.slug}/timetable-check/")

    assert response.json() == {
        "warnings": [
            {
                "code": "outside_congress_dates",
                "session_id": session.pk,
                "other_session_id": None,
                "message": "“Early” (2027-06-14) is outside the congress dates, "
                "2027-06-15 to 2027-06-17.",
            }
        ]
    }


def test_timetable_check_for_checkin_staff_is_forbidden(token_client, congress, checkin_staff):
    response = token_client(checkin_staff).get(
        f"/api/v1/congresses/{congress.slug}/timetable-check/"
    )

    assert response.status_code == 403


def test_signup_with_private_token_is_seated(api_client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)

    response = api_client.post(
        _url(congress, f"{workshop.pk}/signups/"), {"token": token}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["state"] == "seated"
    assert list(workshop.signups.values_list("registration", flat=True)) == [registration.pk]


def test_signup_as_logged_in_person_when_full_is_waitlisted_with_position(
    api_client, congress, workshop
):
    for _ in range(2):
        SessionSignup.objects.create(
            session=workshop, registration=RegistrationFactory(congress=congress), state="seated"
        )
    user = UserFactory()
    RegistrationFactory(congress=congress, person__user=user)
    api_client.force_authenticate(user)

    response = api_client.post(_url(congress, f"{workshop.pk}/signups/"), {}, format="json")

    assert response.status_code == 201
    assert (response.json()["state"], response.json()["waitlist_position"]) == ("waitlisted", 1)


def test_signup_with_token_of_other_congress_is_refused(api_client, congress, workshop):
    token = issue_access_token(registration=RegistrationFactory())

    response = api_client.post(
        _url(congress, f"{workshop.pk}/signups/"), {"token": token}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "registration_not_confirmed"
    assert workshop.signups.count() == 0


def test_signup_overlapping_is_409_with_clear_message(api_client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)
    api_client.post(_url(congress, f"{workshop.pk}/signups/"), {"token": token}, format="json")
    other = SessionFactory(
        congress=congress, requires_signup=True, starts_at=at(15, 11), ends_at=at(15, 12)
    )

    response = api_client.post(
        _url(congress, f"{other.pk}/signups/"), {"token": token}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "overlapping_signup"
    assert "Litigating drug cases" in response.json()["detail"]


def test_signup_cancel_with_token_frees_the_seat(api_client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)
    api_client.post(_url(congress, f"{workshop.pk}/signups/"), {"token": token}, format="json")

    response = api_client.post(
        _url(congress, f"{workshop.pk}/signups/cancel/"), {"token": token}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"


def test_signup_list_for_organiser_includes_protected_participant(
    token_client, congress, organiser, workshop
):
    protected = RegistrationFactory(congress=congress, is_protected=True, person__name="Hidden")
    SessionSignup.objects.create(session=workshop, registration=protected, state="seated")

    response = token_client(organiser).get(_url(congress, f"{workshop.pk}/signups/"))

    assert [(row["name"], row["is_protected"]) for row in response.json()["results"]] == [
        ("Hidden", True)
    ]


def test_signup_list_for_checkin_staff_is_forbidden(
    token_client, congress, checkin_staff, workshop
):
    protected = RegistrationFactory(congress=congress, is_protected=True)
    SessionSignup.objects.create(session=workshop, registration=protected, state="seated")

    response = token_client(checkin_staff).get(_url(congress, f"{workshop.pk}/signups/"))

    assert response.status_code == 403


def test_rooms_create_by_organiser(token_client, congress, organiser):
    response = token_client(organiser).post(
        f"/api/v1/congresses/{congress.slug}/rooms/",
        {"name": "Salle Weiss", "capacity": 8, "accessibility_notes": "Ground floor"},
        format="json",
    )

    assert response.status_code == 201
    assert list(congress.rooms.values_list("name", "capacity")) == [("Salle Weiss", 8)]


def test_openapi_schema_documents_sessions_endpoint(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    paths = response.json()["paths"]
    parameters = {
        p["name"] for p in paths["/api/v1/congresses/{slug}/sessions/"]["get"]["parameters"]
    }
    assert {"track", "language", "date"} <= parameters
    assert "/api/v1/congresses/{slug}/sessions/{id}/signups/" in paths


def test_registration_status_is_rechecked(api_client, congress, workshop):
    registration = RegistrationFactory(
        congress=congress, status=Registration.Status.PENDING_PAYMENT
    )
    token = issue_access_token(registration=registration)

    response = api_client.post(
        _url(congress, f"{workshop.pk}/signups/"), {"token": token}, format="json"
    )

    assert response.status_code == 403
