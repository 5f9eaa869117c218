import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

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


def test_accepted_submission_becomes_draft_session_with_speakers():
    call = CallFactory()
    track = TrackFactory(congress=call.congress)
    submission = SubmissionFactory(
        call=call, track=track, language="ar", submission_type="workshop", title="ورشة عمل"
    )
    co_author = PersonFactory(name="Layla Haddad")
    submission.co_authors.create(person=co_author, position=0)

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
    assert submission.programme_session == session


def test_accepting_again_after_waitlisting_makes_one_new_session():
    submission = SubmissionFactory()
    call = submission.call

    for decision in ("accepted", "waitlisted", "accepted"):
        decide_submissions(call=call, submission_ids=[submission.pk], decision=decision)

    submission.refresh_from_db()
    assert list(Session.objects.all()) == [submission.programme_session]
    assert SessionSpeaker.objects.count() == 1


def test_rejected_submission_makes_no_session():
    submission = SubmissionFactory()

    decide_submissions(call=submission.call, submission_ids=[submission.pk], decision="rejected")

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


# Decision e-mails leave only after the submission rows are unlocked: the SMTP server may
# take seconds per message, and an organiser deciding meanwhile must not wait on it.
_sending_probes: list[tuple[bool, bool]] = []


def _submission_rows_are_free() -> bool:
    """Whether another connection can lock every submission row right now (PostgreSQL)."""

    def probe() -> bool:
        try:
            with transaction.atomic():
                list(Submission.objects.select_for_update(nowait=True))
        except DatabaseError:
            return False
        finally:
            connection.close()
        return True

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(probe).result()


class ProbingBackend(locmem.EmailBackend):
    """The outbox, noting for each sending whether a transaction was open and whether the
    submission rows could be locked by someone else at that moment."""

    def send_messages(self, messages):
        rows_are_free = connection.vendor != "postgresql" or _submission_rows_are_free()
        _sending_probes.append((connection.in_atomic_block, rows_are_free))
        return super().send_messages(messages)


@pytest.fixture
def probing_mail(settings):
    settings.EMAIL_BACKEND = "tests.cfp.test_decisions.ProbingBackend"
    _sending_probes.clear()
    yield _sending_probes
    _sending_probes.clear()


@pytest.mark.django_db(transaction=True)
def test_decision_email_is_sent_outside_any_transaction(probing_mail):
    submission = SubmissionFactory()
    decide_submissions(call=submission.call, submission_ids=[submission.pk], decision="rejected")

    queue_decision_emails(call=submission.call)

    assert ([message.to for message in mail.outbox], [open_ for open_, _ in probing_mail]) == (
        [[submission.submitter.email]],
        [False],
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_decision_email_is_sent_while_no_submission_row_is_locked(probing_mail):
    call = CallFactory()
    submissions = SubmissionFactory.create_batch(2, call=call)
    decide_submissions(
        call=call, submission_ids=[item.pk for item in submissions], decision="accepted"
    )

    queue_decision_emails(call=call)

    assert [rows_are_free for _, rows_are_free in probing_mail] == [True, True]


@pytest.mark.django_db(transaction=True)
def test_decision_email_with_mail_server_down_is_retried_by_the_queue_and_sent_once(
    smtp_server, task_worker
):
    submission = SubmissionFactory()
    decide_submissions(call=submission.call, submission_ids=[submission.pk], decision="accepted")
    smtp_server.down()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = queue_decision_emails(call=submission.call)
        task_worker.run()
    smtp_server.up()

    second = queue_decision_emails(call=submission.call)
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        task_worker.run()

    assert (first, second) == (1, 0)
    assert [message.to for message in smtp_server.messages] == [[submission.submitter.email]]
