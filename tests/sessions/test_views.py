import datetime
import io
import unicodedata
import zoneinfo

import icalendar
import pytest
from pypdf import PdfReader

from congress.models import Congress
from registrations.self_service import issue_access_token
from sessions.models import Session, SessionSignup
from tests.factories.congress import TrackFactory
from tests.factories.members import PersonFactory, UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import RoomFactory, SessionFactory, SessionSpeakerFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _programme(congress, query=""):
    return f"/en/congresses/{congress.slug}/programme/{query}"


def test_programme_page_lists_sessions_by_day_with_speakers(client, congress, room):
    session = SessionFactory(congress=congress, room=room, title="Opening", starts_at=at(15, 9))
    SessionSpeakerFactory(session=session, person=PersonFactory(name="ليلى حداد"))
    SessionFactory(congress=congress, title="Hidden draft", status=Session.Status.DRAFT)

    response = client.get(_programme(congress))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Opening" in content
    assert "ليلى حداد" in content
    assert "Salle Erasme" in content
    assert "Tuesday 15 June 2027" in content
    assert "Hidden draft" not in content


def test_programme_page_filters_by_track(client, congress):
    media = TrackFactory(congress=congress, slug="media")
    SessionFactory(congress=congress, title="Media lab", track=media)
    SessionFactory(congress=congress, title="Other topic")

    response = client.get(_programme(congress, "?track=media"))

    assert [card["title"] for card in response.context["days"][0][1]] == ["Media lab"]


def test_programme_page_search_without_match_says_so(client, congress):
    SessionFactory(congress=congress, title="Opening")

    response = client.get(_programme(congress, "?q=zzz"))

    assert "No session matches these filters." in response.content.decode()


def test_programme_page_leaves_out_protected_speaker(client, congress):
    session = SessionFactory(congress=congress)
    protected = PersonFactory(name="Protected Defender")
    RegistrationFactory(congress=congress, person=protected, is_protected=True)
    SessionSpeakerFactory(session=session, person=protected)

    response = client.get(_programme(congress))

    assert "Protected Defender" not in response.content.decode()


def test_programme_page_escapes_organisers_text(client, congress):
    track = TrackFactory(congress=congress, name="Media & <b>press</b>")
    SessionFactory(congress=congress, track=track, title='<script>alert("x")</script>')

    html = client.get(_programme(congress)).content.decode()

    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Media &amp; &lt;b&gt;press&lt;/b&gt;" in html
    assert "<script>alert" not in html


def test_programme_page_of_draft_congress_is_not_found(client):
    congress = SessionFactory(congress__status=Congress.Status.DRAFT).congress

    assert client.get(_programme(congress)).status_code == 404


@pytest.mark.parametrize("count", [2, 8])
def test_programme_page_query_count_is_flat(client, congress, django_assert_num_queries, count):
    track = TrackFactory(congress=congress)
    for index in range(count):
        session = SessionFactory(
            congress=congress,
            track=track,
            room=RoomFactory(congress=congress),
            requires_signup=True,
            starts_at=at(15 + index % 3, 8 + index),
            ends_at=at(15 + index % 3, 8 + index, 45),
        )
        SessionSpeakerFactory.create_batch(2, session=session)

    with django_assert_num_queries(4):  # congress, its tracks, sessions, speakers
        response = client.get(_programme(congress))

    assert sum(len(sessions) for _day, sessions in response.context["days"]) == count


def test_session_page_shows_room_speakers_and_seats(client, congress, workshop):
    SessionSpeakerFactory(session=workshop, person=PersonFactory(name="Amina Ben Salem"))

    response = client.get(_programme(congress, f"sessions/{workshop.pk}/"))

    content = response.content.decode()
    assert "Amina Ben Salem" in content
    assert "Salle Erasme" in content
    assert "2 seats left." in content
    assert "open the private link" in content


def test_session_signup_by_logged_in_person_gets_seat(client, congress, workshop):
    user = UserFactory()
    registration = RegistrationFactory(congress=congress, person__user=user)
    client.force_login(user)

    response = client.post(_programme(congress, f"sessions/{workshop.pk}/sign-up/"), follow=True)

    assert "You have a seat in this session." in response.content.decode()
    assert list(workshop.signups.values_list("registration", "state")) == [
        (registration.pk, "seated")
    ]


def test_session_signup_by_logged_in_person_without_registration_is_refused(
    client, congress, workshop
):
    client.force_login(UserFactory())

    response = client.post(_programme(congress, f"sessions/{workshop.pk}/sign-up/"), follow=True)

    assert "confirmed registration" in response.content.decode()
    assert workshop.signups.count() == 0


def test_agenda_by_token_signs_up_and_cancels(client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)

    client.post(f"/en/my-programme/{token}/sessions/{workshop.pk}/sign-up/")
    page = client.get(f"/en/my-programme/{token}/")
    client.post(f"/en/my-programme/{token}/sessions/{workshop.pk}/cancel/")

    assert "You have a seat." in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert list(workshop.signups.values_list("state", flat=True)) == ["cancelled"]


@pytest.mark.parametrize("count", [2, 8])
def test_agenda_page_query_count_is_flat(client, congress, django_assert_num_queries, count):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)
    for index in range(count):
        session = SessionFactory(
            congress=congress,
            room=RoomFactory(congress=congress),
            requires_signup=True,
            starts_at=at(15 + index % 3, 8 + index),
            ends_at=at(15 + index % 3, 8 + index, 45),
        )
        SessionSpeakerFactory.create_batch(2, session=session)
        SessionSignup.objects.create(session=session, registration=registration, state="seated")

    # token, signups; the agenda's sessions and speakers; the open sessions and speakers
    with django_assert_num_queries(6):
        response = client.get(f"/en/my-programme/{token}/")

    assert sum(len(cards) for _day, cards in response.context["agenda_days"]) == count
    assert response.content.decode().count('data-test="cancel-button"') == count


def test_agenda_with_unknown_token_is_not_found(client):
    assert client.get("/en/my-programme/not-a-token/").status_code == 404


def _parse(response):
    return icalendar.Calendar.from_ical(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_programme_ical_parses_back_with_congress_timezone(client, congress, room):
    session = SessionFactory(
        congress=congress, room=room, title="Opening", starts_at=at(15, 9), ends_at=at(15, 10)
    )

    response = client.get(f"/en/congresses/{congress.slug}/programme.ics")

    calendar = _parse(response)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert timezone_component["TZID"] == "Europe/Paris"
    (daylight,) = [c for c in timezone_component.walk("DAYLIGHT")]
    assert daylight["TZOFFSETTO"].td == datetime.timedelta(hours=2)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Opening"
    assert str(event["LOCATION"]) == "Salle Erasme"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == datetime.datetime(2027, 6, 15, 9, 0, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime.datetime(2027, 6, 15, 10, 0, tzinfo=PARIS)
    assert str(event["UID"]) == f"session-{session.pk}@127.0.0.1"


def test_agenda_ical_has_plenaries_and_seats_not_waitlist(client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)
    SessionFactory(
        congress=congress,
        kind="plenary",
        title="Opening plenary",
        starts_at=at(15, 9),
        ends_at=at(15, 10),
    )
    SessionSignup.objects.create(session=workshop, registration=registration, state="seated")
    waiting = SessionFactory(
        congress=congress,
        requires_signup=True,
        title="Waiting",
        starts_at=at(16, 9),
        ends_at=at(16, 10),
    )
    SessionSignup.objects.create(session=waiting, registration=registration, state="waitlisted")

    calendar = _parse(client.get(f"/en/my-programme/{token}/agenda.ics"))

    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == [
        "Opening plenary",
        "Litigating drug cases",
    ]


def test_programme_pdf_has_arabic_title_in_text_layer(client, congress):
    SessionFactory(
        congress=congress,
        title="Death penalty and drugs",
        title_translations={"ar": "عقوبة الإعدام والمخدرات"},
    )

    response = client.get(f"/ar/congresses/{congress.slug}/programme.pdf")

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert response["Content-Type"] == "application/pdf"
    # Shaped Arabic is drawn with presentation forms; NFKC maps them back to letters.
    assert "عقوبة الإعدام والمخدرات" in unicodedata.normalize("NFKC", text)
    assert "Death penalty" not in text


def test_programme_pdf_lists_sessions_and_speakers(client, congress, room):
    session = SessionFactory(congress=congress, room=room, title="Opening", starts_at=at(15, 9))
    SessionSpeakerFactory(session=session, person=PersonFactory(name="Zoë Lefèvre-Nguyễn"))

    response = client.get(f"/en/congresses/{congress.slug}/programme.pdf")

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "09:00\N{EN DASH}12:30" in text
    assert "Opening" in text
    assert "Zoë Lefèvre-Nguyễn" in text
    assert "Salle Erasme" in text


def _pdf_text(response) -> str:
    """The text layer of every page; NFKC maps shaped Arabic presentation forms to letters."""
    reader = PdfReader(io.BytesIO(response.content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize(
    ("name", "font"),
    [("王小明", "NotoSansSC"), ("山田 さくら", "NotoSansJP"), ("김민준", "NotoSansKR")],
)
def test_programme_pdf_draws_cjk_speaker_name_with_its_font(client, congress, name, font):
    session = SessionFactory(congress=congress, title="Opening", starts_at=at(15, 9))
    SessionSpeakerFactory(session=session, person=PersonFactory(name=name))

    response = client.get(f"/en/congresses/{congress.slug}/programme.pdf")

    assert name in _pdf_text(response)
    fonts = {
        str(resource["/BaseFont"]).split("+")[-1]
        for resource in PdfReader(io.BytesIO(response.content))
        .pages[0]["/Resources"]["/Font"]
        .get_object()
        .values()
    }
    assert f"{font}-Regular" in fonts


def test_agenda_pdf_by_token_has_seat_and_arabic_speaker(client, congress, workshop):
    registration = RegistrationFactory(congress=congress)
    token = issue_access_token(registration=registration)
    SessionSpeakerFactory(session=workshop, person=PersonFactory(name="محمد رضایی"))
    SessionSignup.objects.create(session=workshop, registration=registration, state="seated")
    SessionFactory(
        congress=congress,
        requires_signup=True,
        title="Not mine",
        starts_at=at(16, 9),
        ends_at=at(16, 10),
    )

    response = client.get(f"/en/my-programme/{token}/agenda.pdf")

    text = _pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Litigating drug cases" in text
    assert unicodedata.normalize("NFKC", "محمد رضایی") in text
    assert "Not mine" not in text


def test_timetable_grid_for_organiser_shows_conflicts(client, congress, organiser, room):
    SessionFactory(congress=congress, room=room, title="A", starts_at=at(15, 9), ends_at=at(15, 10))
    SessionFactory(congress=congress, room=room, title="B", starts_at=at(15, 9), ends_at=at(15, 10))
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/timetable/")

    content = response.content.decode()
    assert "1 conflict" in content
    assert "Room Salle Erasme is double-booked on 2027-06-15 from 09:00 to 10:00" in content


def test_timetable_grid_for_checkin_staff_is_not_found(client, congress, checkin_staff):
    client.force_login(checkin_staff)

    assert client.get(f"/en/congresses/{congress.slug}/manage/timetable/").status_code == 404


def test_programme_page_shows_times_in_congress_time_zone(client, congress):
    SessionFactory(congress=congress, title="Opening", starts_at=at(15, 9), ends_at=at(15, 10))

    content = client.get(_programme(congress)).content.decode()

    assert ">09:00</time>" in content
    assert ">10:00</time>" in content
