import datetime

import pytest
from django.core import mail

from cfp.models import DecisionEmailTemplate, Submission
from cfp.services import decide_submissions, queue_decision_emails
from cfp.services.decisions import InvalidDecision
from sessions.models import Session, SessionSpeaker
from tests.factories.cfp import CallFactory, ReviewFactory, SubmissionFactory
from tests.factories.congress import TrackFactory
from tests.factories.members import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_decide_submissions_in_bulk_sets_each_status():
    call = CallFactory()
    first, second = SubmissionFactory.create_batch(2, call=call)
    untouched = SubmissionFactory(call=call)

    decide_submissions(call=call, submission_ids=[first.pk, second.pk], decision="waitlisted")

    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "waitlisted", second.pk: "waitlisted", untouched.pk: "submitted"}


def test_decide_submissions_ignores_ids_of_another_call():
    call = CallFactory()
    foreign = SubmissionFactory()

    decided = decide_submissions(call=call, submission_ids=[foreign.pk], decision="accepted")

    foreign.refresh_from_db()
    assert (decided, foreign.status) == ([], "submitted")


def test_decide_withdrawn_submission_is_refused():
    submission = SubmissionFactory(status=Submission.Status.WITHDRAWN)

    with pytest.raises(InvalidDecision):
        decide_submissions(
            call=submission.call, submission_ids=[submission.pk], decision="accepted"
        )

    submission.refresh_from_db()
    assert submission.status == "withdrawn"


def test_accepted_submission_becomes_draft_session_with_speakers(
    django_capture_on_commit_callbacks,
):
    call = CallFactory()
    track = TrackFactory(congress=call.congress)
    submission = SubmissionFactory(
        call=call, track=track, language="ar", submission_type="workshop", title="ورشة عمل"
    )
    co_author = PersonFactory(name="Layla Haddad")
    submission.co_authors.create(person=co_author, position=0)

    with django_capture_on_commit_callbacks(execute=True):
        decide_submissions(call=call, submission_ids=[submission.pk], decision="accepted")

    session = Session.objects.get()
    assert (session.title, session.kind, session.status, session.track, session.floor_language) == (
        "ورشة عمل",
        "workshop",
        "draft",
        track,
        "ar",
    )
    assert session.starts_at == datetime.datetime(2027, 6, 15, 9, 0, tzinfo=call.congress.tzinfo)
    assert list(SessionSpeaker.objects.values_list("person_id", flat=True)) == [
        submission.submitter_id,
        co_author.pk,
    ]
    submission.refresh_from_db()
    assert submission.programme_session_id == session.pk


def test_accepting_twice_creates_one_session(django_capture_on_commit_callbacks):
    submission = SubmissionFactory()
    call = submission.call

    with django_capture_on_commit_callbacks(execute=True):
        decide_submissions(call=call, submission_ids=[submission.pk], decision="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        decide_submissions(call=call, submission_ids=[submission.pk], decision="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        decide_submissions(call=call, submission_ids=[submission.pk], decision="accepted")

    assert Session.objects.count() == 1
    assert SessionSpeaker.objects.count() == 1


def test_rejected_submission_makes_no_session(django_capture_on_commit_callbacks):
    submission = SubmissionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        decide_submissions(
            call=submission.call, submission_ids=[submission.pk], decision="rejected"
        )

    assert Session.objects.count() == 0


def test_queue_decision_emails_sends_each_once_in_submitter_language(
    django_capture_on_commit_callbacks,
):
    call = CallFactory(title="Call")
    arabic = SubmissionFactory(
        call=call, title="عنوان", submitter__name="أمينة", submitter__preferred_language="ar"
    )
    english = SubmissionFactory(call=call, title="Title", submitter__name="Sarah")
    ReviewFactory(submission=english, reviewer=UserFactory(), comment_for_submitter="Great work.")
    DecisionEmailTemplate.objects.create(
        call=call,
        decision="accepted",
        language="ar",
        subject="قبول «{title}»",
        body="{name}: {title}",
    )
    decide_submissions(call=call, submission_ids=[arabic.pk, english.pk], decision="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        queued = queue_decision_emails(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        queued_again = queue_decision_emails(call=call)

    assert (queued, queued_again) == (2, 0)
    sent = {message.to[0]: (message.subject, message.body) for message in mail.outbox}
    assert sent[arabic.submitter.email] == ("قبول «عنوان»", "أمينة: عنوان\n")
    subject, body = sent[english.submitter.email]
    assert subject == "Your proposal “Title” was accepted"
    assert body.endswith("Comments from the reviewers:\n\nGreat work.\n")
    assert Submission.objects.filter(decision_email_sent_at__isnull=True).count() == 0
