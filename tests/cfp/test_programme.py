"""A decision keeps the programme in step: accepting makes the draft session, any other
decision takes it out again (cfp/services/programme.py through decide_submissions)."""

import pytest
from django.db import transaction

from cfp.models import Submission
from cfp.services import decide_submissions
from cfp.services.programme import SessionStillInProgramme
from sessions.models import Session
from sessions.services import delete_session
from tests.factories.cfp import SubmissionFactory
from tests.factories.sessions import SessionSignupFactory

pytestmark = pytest.mark.django_db


def _decide(submission: Submission, decision: str) -> list[Submission]:
    return decide_submissions(
        call=submission.call, submission_ids=[submission.pk], decision=decision
    )


@pytest.mark.parametrize("decision", ["rejected", "waitlisted"])
def test_accept_then_other_decision_removes_the_draft_session(
    django_capture_on_commit_callbacks, decision
):
    submission = SubmissionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(submission, "accepted")

    with django_capture_on_commit_callbacks(execute=True):
        _decide(submission, decision)

    submission.refresh_from_db()
    assert (Session.objects.count(), submission.programme_session_id) == (0, None)


def test_accepting_twice_keeps_one_session():
    submission = SubmissionFactory(title="Death penalty and terrorism")

    _decide(submission, "accepted")
    _decide(submission, "accepted")

    submission.refresh_from_db()
    assert list(Session.objects.values_list("pk", "title")) == [
        (submission.programme_session_id, "Death penalty and terrorism")
    ]


@pytest.mark.django_db(transaction=True)
def test_accepting_makes_the_session_inside_the_decision_transaction():
    submission = SubmissionFactory(title="Drug policy")

    with transaction.atomic():
        _decide(submission, "accepted")
        before_commit = list(Session.objects.values_list("title", "status"))

    assert before_commit == [("Drug policy", "draft")]


def _accept_then_fail(submission: Submission) -> None:
    with transaction.atomic():
        _decide(submission, "accepted")
        raise RuntimeError("the request failed after the decision")


@pytest.mark.django_db(transaction=True)
def test_decision_rolled_back_takes_its_session_with_it():
    submission = SubmissionFactory()

    with pytest.raises(RuntimeError):
        _accept_then_fail(submission)

    submission.refresh_from_db()
    assert (submission.status, Session.objects.count()) == ("submitted", 0)


def _published(submission: Submission) -> Session:
    _decide(submission, "accepted")
    submission.refresh_from_db()
    session = submission.programme_session
    session.status = Session.Status.PUBLISHED
    session.save()
    return session


def test_reject_after_publication_is_refused_and_changes_nothing():
    submission = SubmissionFactory(title="Mental illness on death row")
    session = _published(submission)

    with pytest.raises(SessionStillInProgramme) as raised:
        _decide(submission, "rejected")

    submission.refresh_from_db()
    assert str(raised.value) == (
        "The session “Mental illness on death row” is published in the programme or other "
        "records depend on it (sign-ups, a check-in point), so the decision was not changed. "
        "Cancel the session in the programme first, then decide again."
    )
    assert (submission.status, submission.programme_session) == ("accepted", session)


def test_reject_draft_session_with_signups_is_refused():
    submission = SubmissionFactory()
    _decide(submission, "accepted")
    submission.refresh_from_db()
    SessionSignupFactory(session=submission.programme_session)

    with pytest.raises(SessionStillInProgramme):
        _decide(submission, "waitlisted")

    submission.refresh_from_db()
    assert (submission.status, Session.objects.count()) == ("accepted", 1)


def test_reject_after_cancelling_the_session_keeps_it_cancelled_and_unlinks_it():
    submission = SubmissionFactory()
    session = _published(submission)
    SessionSignupFactory(session=session)
    session.status = Session.Status.CANCELLED
    session.save()

    _decide(submission, "rejected")

    submission.refresh_from_db()
    session.refresh_from_db()
    assert (submission.status, submission.programme_session, session.status) == (
        "rejected",
        None,
        "cancelled",
    )


def test_refused_bulk_decision_changes_no_submission():
    published = SubmissionFactory(title="Published")
    _published(published)
    draft = SubmissionFactory(call=published.call)
    _decide(draft, "accepted")

    with pytest.raises(SessionStillInProgramme):
        decide_submissions(
            call=published.call, submission_ids=[draft.pk, published.pk], decision="rejected"
        )

    statuses = set(Submission.objects.values_list("status", flat=True))
    assert (statuses, Session.objects.count()) == ({"accepted"}, 2)


def test_deleting_the_session_in_the_programme_unlinks_the_submission():
    submission = SubmissionFactory()
    _decide(submission, "accepted")
    submission.refresh_from_db()

    delete_session(session=submission.programme_session)

    submission.refresh_from_db()
    assert (submission.status, submission.programme_session_id) == ("accepted", None)
