"""What erasing a person removes from the call for participation (cfp/erasure.py)."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cfp.erasure import ERASED_TITLE
from cfp.models import (
    Answer,
    ConflictOfInterest,
    Question,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionCoAuthor,
    SubmissionFile,
)
from cfp.services import (
    PersonDetails,
    SubmissionContent,
    submission_for_access_token,
    submit_proposal,
)
from privacy.erasure import erase_person
from tests.factories.cfp import (
    DURING_CALL,
    CallFactory,
    QuestionFactory,
    ReviewFactory,
    SubmissionFactory,
)
from tests.factories.members import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def proposal(private_media):
    """A proposal with a biography answer, an uploaded CV and one co-author."""
    call = CallFactory()
    biography = QuestionFactory(call=call, kind=Question.Kind.LONG_TEXT)
    cv = QuestionFactory(call=call, kind=Question.Kind.FILE)
    content = SubmissionContent(
        submitter=PersonDetails(name="Narges Mohammadi", email="narges@example.org"),
        submission_type="talk",
        language="en",
        title="Ten years in Evin prison",
        abstract="My testimony as a defender of women's rights.",
        co_authors=[PersonDetails(name="Taghi Rahmani", email="taghi@example.org")],
        answers={biography.pk: "Born in Zanjan, journalist, imprisoned since 2021."},
        files={cv.pk: SimpleUploadedFile("cv.pdf", PDF_BYTES)},
    )
    with time_machine.travel(DURING_CALL, tick=False):
        submission, token = submit_proposal(call=call, content=content, interface_language="en")
    return submission, token


def test_erase_person_removes_answers_and_uploaded_files_after_commit(
    private_media, proposal, django_capture_on_commit_callbacks
):
    submission, _token = proposal
    stored_path = private_media / submission.files.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=submission.submitter, actor=None)

    assert list(Answer.objects.filter(submission=submission)) == []
    assert list(SubmissionFile.objects.filter(submission=submission)) == []
    assert stored_path.exists() is False


def test_erase_person_deletes_uploaded_files_only_once_committed(
    private_media, proposal, django_capture_on_commit_callbacks
):
    submission, _token = proposal
    stored_path = private_media / submission.files.get().file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_person(person=submission.submitter, actor=None)

    assert stored_path.read_bytes() == PDF_BYTES
    for callback in callbacks:
        callback()
    assert stored_path.exists() is False


def test_erase_person_blanks_the_proposal_text_and_private_link_and_keeps_its_figures(proposal):
    submission, token = proposal

    erase_person(person=submission.submitter, actor=None)

    submission.refresh_from_db()
    assert (
        submission.title,
        submission.abstract,
        submission.access_token_hash,
        submission.status,
        submission.submission_type,
        submission.language,
    ) == (ERASED_TITLE, "", "", Submission.Status.SUBMITTED, "talk", "en")
    assert submission_for_access_token(token=token) is None


def test_erase_person_as_submitter_keeps_the_co_authors_of_others(proposal):
    submission, _token = proposal

    erase_person(person=submission.submitter, actor=None)

    assert list(
        SubmissionCoAuthor.objects.filter(submission=submission).values_list(
            "person__name", flat=True
        )
    ) == ["Taghi Rahmani"]


def test_erase_person_as_co_author_removes_only_their_link(proposal):
    submission, _token = proposal
    co_author = submission.co_authors.get().person

    erase_person(person=co_author, actor=None)

    submission.refresh_from_db()
    assert list(SubmissionCoAuthor.objects.filter(submission=submission)) == []
    assert (submission.title, Answer.objects.filter(submission=submission).count()) == (
        "Ten years in Evin prison",
        2,
    )


def test_erase_person_clears_review_comments_and_keeps_scores():
    submission = SubmissionFactory()
    reviewer = UserFactory()
    ReviewAssignment.objects.create(submission=submission, reviewer=reviewer)
    ConflictOfInterest.objects.create(
        submission=submission, reviewer=UserFactory(), reason="She is my sister."
    )
    ReviewFactory(
        submission=submission,
        reviewer=reviewer,
        score=4,
        comment_for_committee="Narges's testimony is moving.",
        comment_for_submitter="Thank you, Narges.",
    )

    erase_person(person=submission.submitter, actor=None)

    assert list(
        Review.objects.values_list("score", "comment_for_committee", "comment_for_submitter")
    ) == [(4, "", "")]
    assert list(ConflictOfInterest.objects.values_list("reason", flat=True)) == [""]
    assert list(ReviewAssignment.objects.values_list("reviewer", flat=True)) == [reviewer.pk]


def test_erase_person_leaves_other_submitters_proposals_untouched(private_media, proposal):
    submission, _token = proposal
    other = SubmissionFactory(call=submission.call, title="Abolition in Africa")

    erase_person(person=PersonFactory(), actor=None)
    erase_person(person=other.submitter, actor=None)

    submission.refresh_from_db()
    assert (submission.title, submission.files.count(), submission.answers.count()) == (
        "Ten years in Evin prison",
        1,
        2,
    )
