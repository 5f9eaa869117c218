"""Two organisers accept the same proposal at the same instant: one draft session, against
PostgreSQL (decide_submissions locks the submission rows before touching the programme)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from cfp.models import Submission
from cfp.services import decide_submissions
from sessions.models import Session
from sessions.services import create_draft_session
from tests.factories.cfp import SubmissionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ORGANISERS = 8


def _race(function) -> None:
    barrier = threading.Barrier(ORGANISERS)

    def run(_index):
        try:
            barrier.wait()
            return function(barrier)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=ORGANISERS) as pool:
        list(pool.map(run, range(ORGANISERS)))


def test_accepting_the_same_proposal_at_once_makes_one_session():
    submission = SubmissionFactory()

    _race(
        lambda _barrier: decide_submissions(
            call=submission.call, submission_ids=[submission.pk], decision="accepted"
        )
    )

    submission.refresh_from_db()
    assert list(Session.objects.all()) == [submission.programme_session]


def _accept_without_lock(submission: Submission, barrier: threading.Barrier) -> None:
    """The same check-then-create, without locking the submission: the control experiment."""
    with transaction.atomic():
        current = Submission.objects.select_related("congress").get(pk=submission.pk)
        barrier.wait()  # everybody has seen "no session yet" before anybody makes one
        if current.programme_session_id is None:
            current.programme_session = create_draft_session(
                congress=current.congress,
                track=None,
                kind=Session.Kind.PANEL,
                title=current.title,
                description=current.abstract,
                language=current.language,
                speakers=[],
            )
            current.save(update_fields=["programme_session"])


def test_accepting_at_once_without_the_lock_makes_several_sessions():
    submission = SubmissionFactory()

    _race(lambda barrier: _accept_without_lock(submission, barrier))

    assert Session.objects.count() == ORGANISERS
