import pytest
from django.core.exceptions import ValidationError

from congress.models import AuditEvent
from sessions.exceptions import InvalidSessionTimes, SessionHasSignups, SessionNotInCongress
from sessions.models import Session
from sessions.services import delete_session, publish_programme, save_session
from sessions.signals import session_saved
from tests.factories.members import PersonFactory
from tests.factories.sessions import RoomFactory, SessionFactory, SessionSignupFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db


def test_save_session_ending_before_start_is_refused(congress):
    session = Session(congress=congress, kind="workshop", title="X", starts_at=at(15, 10))
    session.ends_at = at(15, 9)

    with pytest.raises(InvalidSessionTimes) as error:
        save_session(session=session)

    assert str(error.value) == "A session cannot end before it starts."
    assert Session.objects.count() == 0


def test_session_clean_ending_before_start_is_a_field_error(congress):
    session = Session(congress=congress, starts_at=at(15, 10), ends_at=at(15, 10))

    with pytest.raises(ValidationError) as error:
        session.clean()

    assert error.value.message_dict == {"ends_at": ["A session cannot end before it starts."]}


def test_save_session_with_room_of_other_congress_is_refused(congress, other_congress):
    session = SessionFactory.build(congress=congress, room=RoomFactory(congress=other_congress))

    with pytest.raises(SessionNotInCongress):
        save_session(session=session)


def test_save_session_sends_session_saved_after_commit(
    congress, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, session, created, **kwargs):
        received.append((session.pk, created))

    session_saved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            session = save_session(
                session=SessionFactory.build(congress=congress, title="Workshop A")
            )
            session.title = "Workshop B"
            save_session(session=session)
    finally:
        session_saved.disconnect(receiver)

    assert received == [(session.pk, True), (session.pk, False)]


def test_save_session_with_speakers_replaces_them_in_order(congress):
    first, second = PersonFactory(name="First"), PersonFactory(name="Second")
    session = save_session(
        session=SessionFactory.build(congress=congress),
        speakers=[(first, "speaker"), (second, "moderator")],
    )

    save_session(session=session, speakers=[(second, "speaker")])

    assert list(session.speakers.values_list("person__name", "role")) == [("Second", "speaker")]


def test_save_published_session_moving_room_marks_it_changed(congress, room):
    session = SessionFactory(congress=congress)
    session.room = room

    save_session(session=session)

    session.refresh_from_db()
    assert session.changed_after_publication_at is not None


def test_save_published_session_description_only_is_not_marked_changed(congress):
    session = SessionFactory(congress=congress)
    session.description = "Better words."

    save_session(session=session)

    session.refresh_from_db()
    assert session.changed_after_publication_at is None


def test_publish_programme_publishes_drafts_once_with_audit(congress, organiser):
    SessionFactory.create_batch(3, congress=congress, status=Session.Status.DRAFT)
    SessionFactory(congress=congress)

    first = publish_programme(congress=congress, actor=organiser)
    second = publish_programme(congress=congress, actor=organiser)

    assert (first, second) == (3, 0)
    assert Session.objects.filter(status=Session.Status.PUBLISHED).count() == 4
    assert list(
        AuditEvent.objects.filter(action="programme.published").values_list("detail", flat=True)
    ) == [{"sessions": 0}, {"sessions": 3}]


def test_delete_session_with_signups_is_refused(congress):
    signup = SessionSignupFactory(session__congress=congress)

    with pytest.raises(SessionHasSignups):
        delete_session(session=signup.session)

    assert Session.objects.count() == 1


def test_delete_session_without_signups_deletes_it(congress):
    session = SessionFactory(congress=congress)

    delete_session(session=session)

    assert Session.objects.count() == 0
