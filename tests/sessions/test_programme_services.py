import pytest
from django.core.exceptions import ValidationError

from congress.models import AuditEvent
from sessions.exceptions import (
    InvalidSessionTimes,
    SessionHasSignups,
    SessionNotInCongress,
    SessionNotWithdrawable,
)
from sessions.models import Session, SessionSpeaker
from sessions.services import (
    create_draft_session,
    delete_session,
    publish_programme,
    save_session,
    withdraw_draft_session,
)
from sessions.signals import session_saved
from tests.factories.badges import CheckpointFactory
from tests.factories.congress import TrackFactory
from tests.factories.members import PersonFactory
from tests.factories.sessions import (
    RoomFactory,
    SessionFactory,
    SessionSignupFactory,
    SessionSpeakerFactory,
)
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


def test_create_draft_session_is_an_unscheduled_draft_with_each_speaker_once(congress):
    track = TrackFactory(congress=congress)
    first, second = PersonFactory.create_batch(2)

    session = create_draft_session(
        congress=congress,
        track=track,
        kind=Session.Kind.TRAINING,
        title="Documenter la torture",
        description="Un atelier.",
        language="fr",
        speakers=[first, second, first],
    )

    session.refresh_from_db()
    assert (
        session.status,
        session.kind,
        session.track,
        session.room,
        session.floor_language,
        session.starts_at,
        session.ends_at,
    ) == ("draft", "training", track, None, "fr", at(15, 9), at(15, 10, 30))
    assert list(session.speakers.values_list("person_id", "role")) == [
        (first.pk, "speaker"),
        (second.pk, "speaker"),
    ]


def test_create_draft_session_with_track_of_other_congress_is_refused(congress, other_congress):
    with pytest.raises(SessionNotInCongress):
        create_draft_session(
            congress=congress,
            track=TrackFactory(congress=other_congress),
            kind=Session.Kind.PANEL,
            title="Panel",
            description="",
            language="en",
            speakers=[],
        )

    assert Session.objects.count() == 0


def test_withdraw_draft_session_deletes_it_with_speakers_and_audit(congress, organiser):
    session = SessionSpeakerFactory(
        session__congress=congress, session__status=Session.Status.DRAFT
    ).session

    deleted = withdraw_draft_session(session=session, actor=organiser)

    assert (deleted, Session.objects.count(), SessionSpeaker.objects.count()) == (True, 0, 0)
    assert list(
        AuditEvent.objects.filter(action="session.withdrawn").values_list("target_id", flat=True)
    ) == [str(session.pk)]


def test_withdraw_cancelled_session_keeps_it(congress):
    session = SessionFactory(congress=congress, status=Session.Status.CANCELLED)

    deleted = withdraw_draft_session(session=session)

    session.refresh_from_db()
    assert (deleted, session.status) == (False, "cancelled")


def _signup(session):
    SessionSignupFactory(session=session)


def _door(session):
    CheckpointFactory(congress=session.congress, kind="session", session=session)


@pytest.mark.parametrize(
    ("status", "depends_on_it"),
    [
        (Session.Status.PUBLISHED, None),
        (Session.Status.DRAFT, _signup),
        (Session.Status.DRAFT, _door),
    ],
    ids=["published", "draft-with-signup", "draft-with-door"],
)
def test_withdraw_published_or_depended_on_session_is_refused(congress, status, depends_on_it):
    session = SessionFactory(congress=congress, status=status)
    if depends_on_it is not None:
        depends_on_it(session)

    with pytest.raises(SessionNotWithdrawable) as error:
        withdraw_draft_session(session=session)

    assert str(error.value) == (
        "This session is published or other records depend on it (sign-ups, a check-in "
        "point): cancel it in the programme instead of removing it."
    )
    assert list(Session.objects.values_list("status", flat=True)) == [status]
