import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cfp.models import Answer, Question, Submission, SubmissionFile
from cfp.services import (
    CallClosed,
    PersonDetails,
    SubmissionContent,
    SubmissionInvalid,
    SubmissionLocked,
    decide_submissions,
    submission_for_access_token,
    submit_proposal,
    update_submission,
    withdraw_submission,
)
from cfp.services.submissions import count_words
from tests.factories.cfp import (
    CLOSES_AT,
    DURING_CALL,
    OPENS_AT,
    CallFactory,
    QuestionFactory,
    SubmissionFactory,
)
from tests.factories.members import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _content(**overrides) -> SubmissionContent:
    values = {
        "submitter": PersonDetails(name="Amina Ben Salem", email="Amina@Example.org"),
        "submission_type": "talk",
        "language": "ar",
        "title": "العدالة للجميع",
        "abstract": "نص قصير عن الموضوع",
    }
    values.update(overrides)
    return SubmissionContent(**values)


def test_submit_proposal_during_call_stores_it_and_mails_private_link(
    django_capture_on_commit_callbacks,
):
    call = CallFactory()

    with (
        time_machine.travel(DURING_CALL, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submission, token = submit_proposal(call=call, content=_content(), interface_language="fr")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitter.email == "amina@example.org"
    assert submission.submitter.preferred_language == "fr"
    assert token not in submission.access_token_hash
    assert submission_for_access_token(token=token) == submission
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert mail.outbox[0].subject == "Votre proposition « العدالة للجميع » a bien été reçue"
    assert f"/fr/cfp/submission/{token}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("moment", "is_accepted"),
    [
        (OPENS_AT - datetime.timedelta(seconds=1), False),
        (OPENS_AT, True),
        (CLOSES_AT - datetime.timedelta(microseconds=1), True),
        (CLOSES_AT, False),
        (CLOSES_AT + datetime.timedelta(seconds=1), False),
    ],
)
def test_submit_proposal_at_boundary_is_accepted_only_while_open(moment, is_accepted):
    call = CallFactory()

    with time_machine.travel(moment, tick=False):
        if is_accepted:
            submit_proposal(call=call, content=_content(), interface_language="en")
        else:
            with pytest.raises(CallClosed):
                submit_proposal(call=call, content=_content(), interface_language="en")

    assert Submission.objects.count() == (1 if is_accepted else 0)


def test_submit_proposal_close_time_in_congress_timezone_is_respected():
    # The call closes at midnight Paris time (22:00 UTC in summer time): 23:30 in Paris is
    # still open, and 00:00 in Paris is closed, whatever the server's own zone.
    call = CallFactory()
    paris = call.congress.tzinfo
    before = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=paris)
    at_close = datetime.datetime(2026, 4, 1, 0, 0, tzinfo=paris)

    with time_machine.travel(before, tick=False):
        submit_proposal(call=call, content=_content(), interface_language="en")
    with time_machine.travel(at_close, tick=False), pytest.raises(CallClosed):
        submit_proposal(call=call, content=_content(), interface_language="en")

    assert Submission.objects.count() == 1


def test_submit_proposal_with_invalid_fields_reports_each_and_stores_nothing():
    call = CallFactory(word_limit=3)
    required = QuestionFactory(call=call, is_required=True)

    with time_machine.travel(DURING_CALL, tick=False), pytest.raises(SubmissionInvalid) as error:
        submit_proposal(
            call=call,
            content=_content(
                title=" ",
                abstract="one two three four",
                submission_type="poster",
                language="es",
            ),
            interface_language="en",
        )

    assert sorted(error.value.errors) == [
        "abstract",
        "language",
        f"question_{required.pk}",
        "submission_type",
        "title",
    ]
    assert error.value.errors["abstract"] == ["The abstract has 4 words; the limit is 3."]
    assert Submission.objects.count() == 0


def test_submit_proposal_with_track_outside_call_is_refused():
    call = CallFactory()
    from tests.factories.congress import TrackFactory

    allowed = TrackFactory(congress=call.congress)
    other = TrackFactory(congress=call.congress)
    call.tracks.set([allowed])

    with time_machine.travel(DURING_CALL, tick=False), pytest.raises(SubmissionInvalid) as error:
        submit_proposal(call=call, content=_content(track_id=other.pk), interface_language="en")

    assert error.value.errors == {"track": ["Choose one of the tracks of this call."]}


def test_submit_proposal_stores_answers_of_each_kind():
    call = CallFactory()
    text = QuestionFactory(call=call, kind=Question.Kind.LONG_TEXT)
    choice = QuestionFactory(
        call=call, kind=Question.Kind.CHOICE, choices=[{"value": "a"}, {"value": "b"}]
    )
    multiple = QuestionFactory(
        call=call, kind=Question.Kind.MULTIPLE_CHOICE, choices=[{"value": "x"}, {"value": "y"}]
    )
    yes_no = QuestionFactory(call=call, kind=Question.Kind.YES_NO)
    answers = {text.pk: " Long answer ", choice.pk: "b", multiple.pk: ["x", "y"], yes_no.pk: "no"}

    with time_machine.travel(DURING_CALL, tick=False):
        submission, _token = submit_proposal(
            call=call, content=_content(answers=answers), interface_language="en"
        )

    stored = dict(Answer.objects.filter(submission=submission).values_list("question_id", "value"))
    assert stored == {
        text.pk: "Long answer",
        choice.pk: "b",
        multiple.pk: ["x", "y"],
        yes_no.pk: False,
    }


def test_question_added_after_submission_keeps_earlier_answers_and_allows_edit():
    call = CallFactory()
    first = QuestionFactory(call=call, kind=Question.Kind.TEXT)
    with time_machine.travel(DURING_CALL, tick=False):
        submission, _token = submit_proposal(
            call=call, content=_content(answers={first.pk: "kept"}), interface_language="en"
        )
    later = QuestionFactory(call=call, kind=Question.Kind.TEXT, is_required=False)

    with time_machine.travel(DURING_CALL, tick=False):
        update_submission(
            submission=submission,
            content=_content(answers={first.pk: "kept", later.pk: "new"}),
        )

    stored = dict(Answer.objects.filter(submission=submission).values_list("question_id", "value"))
    assert stored == {first.pk: "kept", later.pk: "new"}


def test_submit_proposal_with_co_authors_creates_people_in_order():
    call = CallFactory()
    organisation = OrganisationFactory()
    co_authors = [
        PersonDetails(name="Layla Haddad", email="layla@example.org", organisation=organisation),
        PersonDetails(name="Chidi Okonkwo", email="chidi@example.org"),
    ]

    with time_machine.travel(DURING_CALL, tick=False):
        submission, _token = submit_proposal(
            call=call, content=_content(co_authors=co_authors), interface_language="en"
        )

    names = [link.person.name for link in submission.co_authors.select_related("person")]
    assert names == ["Layla Haddad", "Chidi Okonkwo"]


def test_update_submission_after_close_is_locked():
    call = CallFactory()
    submission = SubmissionFactory(call=call)

    with time_machine.travel(CLOSES_AT, tick=False), pytest.raises(SubmissionLocked):
        update_submission(submission=submission, content=_content(title="Changed"))

    submission.refresh_from_db()
    assert submission.title != "Changed"


def test_update_submission_after_decision_is_locked():
    submission = SubmissionFactory()
    decide_submissions(call=submission.call, submission_ids=[submission.pk], decision="rejected")

    with time_machine.travel(DURING_CALL, tick=False), pytest.raises(SubmissionLocked):
        update_submission(submission=submission, content=_content(title="Changed"))

    submission.refresh_from_db()
    assert submission.title != "Changed"


def test_withdraw_submission_before_decision_withdraws():
    submission = SubmissionFactory()

    withdraw_submission(submission=submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN


def test_withdraw_submission_after_decision_is_locked():
    submission = SubmissionFactory()
    decide_submissions(call=submission.call, submission_ids=[submission.pk], decision="accepted")

    with pytest.raises(SubmissionLocked):
        withdraw_submission(submission=submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED


def test_submission_for_access_token_with_unknown_token_is_none():
    SubmissionFactory(access_token_hash="0" * 64)

    assert submission_for_access_token(token="not-a-token") is None
    assert submission_for_access_token(token="") is None


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("cv.pdf", PDF_BYTES, SubmissionFile.ContentType.PDF),
        ("cv.txt", "سيرة ذاتية\n".encode(), SubmissionFile.ContentType.TEXT),
        ("renamed.exe", PDF_BYTES, SubmissionFile.ContentType.PDF),
    ],
)
def test_submit_proposal_file_is_typed_by_content_and_stored_privately(
    private_media, name, data, content_type
):
    call = CallFactory()
    question = QuestionFactory(call=call, kind=Question.Kind.FILE, is_required=True)
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")

    with time_machine.travel(DURING_CALL, tick=False):
        submission, _token = submit_proposal(
            call=call, content=_content(files={question.pk: upload}), interface_language="en"
        )

    stored = SubmissionFile.objects.get(submission=submission)
    assert stored.content_type == content_type
    assert stored.original_name == name
    path = private_media / stored.file.name
    assert path.read_bytes() == data
    assert not stored.file.name.endswith(".exe")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cv.pdf", b"MZ\x90\x00 not a pdf at all \x00"),
        ("cv.pdf", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("cv.docx", b"PK\x03\x04 broken zip"),
    ],
)
def test_submit_proposal_with_disguised_file_reports_field_error(private_media, name, data):
    call = CallFactory()
    question = QuestionFactory(call=call, kind=Question.Kind.FILE)
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")

    with time_machine.travel(DURING_CALL, tick=False), pytest.raises(SubmissionInvalid) as error:
        submit_proposal(
            call=call, content=_content(files={question.pk: upload}), interface_language="en"
        )

    assert error.value.errors == {
        f"question_{question.pk}": [
            "This file is not a PDF, DOCX, ODT or plain text file. Please upload one of those."
        ]
    }
    assert Submission.objects.count() == 0


def test_submit_proposal_with_too_large_file_is_refused(private_media, settings):
    settings.CFP_MAX_UPLOAD_BYTES = 100
    call = CallFactory()
    question = QuestionFactory(call=call, kind=Question.Kind.FILE)
    upload = SimpleUploadedFile("cv.pdf", PDF_BYTES + b" " * 200)

    with time_machine.travel(DURING_CALL, tick=False), pytest.raises(SubmissionInvalid) as error:
        submit_proposal(
            call=call, content=_content(files={question.pk: upload}), interface_language="en"
        )

    assert error.value.errors == {
        f"question_{question.pk}": ["This file is too large: the limit is 0.0 MB."]
    }


def test_count_words_counts_arabic_and_latin_words():
    assert count_words("عقوبة الإعدام  death penalty\n") == 4
