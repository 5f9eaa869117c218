"""Calls for participation: submitting, editing, withdrawing, and the submitter's private link.

Review (invitations, assignment, conflicts, scores) lives in cfp_review.py; decisions and
decision e-mails in cfp_decisions.py.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfp.models import Answer, CallForParticipation, Question, Submission, SubmissionCoAuthor
from cfp.services.files import InvalidUpload, store_upload
from cfp.services.programme import update_programme_session
from common.exceptions import ConflictError, DomainError
from common.i18n import localized
from common.mail import send_templated_email
from common.tokens import hash_token, make_token
from congress.services import record_audit
from members.models import Organisation, Person

MAX_CO_AUTHORS = 10


class CallClosed(ConflictError):
    code = "call_closed"
    default_message = gettext_lazy("This call for participation is not open for submissions.")


class SubmissionLocked(ConflictError):
    code = "submission_locked"
    default_message = gettext_lazy(
        "This submission can no longer be changed: the call is closed, or a decision was made."
    )


class SubmissionInvalid(DomainError):
    """Carries `errors`: {field name: [messages]}; question fields are named question_<id>."""

    code = "invalid_submission"
    default_message = gettext_lazy("Some fields are not valid.")

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(None, errors=errors)
        self.errors = errors


@dataclass
class PersonDetails:
    name: str
    email: str
    latin_name: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    country: str = ""


@dataclass
class SubmissionContent:
    """What a submitter sends: the same shape from the web form and from the API."""

    submitter: PersonDetails
    submission_type: str
    language: str
    title: str
    abstract: str
    track_id: int | None = None
    co_authors: list[PersonDetails] = field(default_factory=list)
    # {question id: value}; files go in `files`: {question id: UploadedFile}.
    answers: dict[int, Any] = field(default_factory=dict)
    files: dict[int, UploadedFile] = field(default_factory=dict)


def count_words(text: str) -> int:
    return len(text.split())


def submission_for_access_token(*, token: str) -> Submission | None:
    """The submission a private link belongs to, or None. Looks up by hash only."""
    if not token or len(token) > 128:
        return None
    return (
        Submission.objects.select_related("call", "congress", "submitter", "track", "organisation")
        .filter(access_token_hash=hash_token(token))
        .first()
    )


# --- validation -----------------------------------------------------------------------------


def _normalise_answer(question: Question, value: Any) -> tuple[Any, str | None]:
    """(clean value, error message or None) for one non-file answer."""
    kind = Question.Kind
    if question.kind in (kind.TEXT, kind.LONG_TEXT):
        text = str(value or "").strip()
        if question.kind == kind.TEXT and len(text) > 300:
            return text, _("Keep this answer under 300 characters.")
        return text, None
    if question.kind == kind.CHOICE:
        text = str(value or "")
        if text and text not in question.choice_values:
            return text, _("Choose one of the options offered.")
        return text, None
    if question.kind == kind.MULTIPLE_CHOICE:
        values = [str(item) for item in (value or [])] if isinstance(value, list | tuple) else []
        if any(item not in question.choice_values for item in values):
            return values, _("Choose only among the options offered.")
        return values, None
    if question.kind == kind.YES_NO:
        if value in ("", None):
            return None, None
        if isinstance(value, bool):
            return value, None
        if str(value).lower() in {"yes", "true", "1"}:
            return True, None
        if str(value).lower() in {"no", "false", "0"}:
            return False, None
        return None, _("Answer yes or no.")
    return None, None


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", [])


def _check_fields(call: CallForParticipation, content: SubmissionContent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not content.title.strip():
        add("title", _("Give your proposal a title."))
    if not content.abstract.strip():
        add("abstract", _("Describe your proposal in the abstract."))
    words = count_words(content.abstract)
    if words > call.word_limit:
        add(
            "abstract",
            _("The abstract has %(count)s words; the limit is %(limit)s.")
            % {"count": words, "limit": call.word_limit},
        )
    if content.submission_type not in call.submission_types:
        add("submission_type", _("Choose one of the submission types of this call."))
    if content.language not in call.languages:
        add("language", _("Choose one of the languages of this call."))
    track_ids = {track.pk for track in call.tracks.all()}
    if track_ids and content.track_id not in track_ids:
        add("track", _("Choose one of the tracks of this call."))
    if not track_ids and content.track_id is not None:
        add("track", _("This call has no tracks."))
    if not content.submitter.name.strip():
        add("name", _("Enter your name."))
    if not content.submitter.email.strip():
        add("email", _("Enter your e-mail address."))
    if len(content.co_authors) > MAX_CO_AUTHORS:
        add("co_authors", _("Add at most %(count)s co-authors.") % {"count": MAX_CO_AUTHORS})
    for index, co_author in enumerate(content.co_authors):
        if not co_author.name.strip():
            add("co_authors", _("Co-author %(number)s has no name.") % {"number": index + 1})
    return errors


def validate_submission(
    *,
    call: CallForParticipation,
    content: SubmissionContent,
    existing: Submission | None = None,
) -> tuple[dict[int, Any], dict[str, list[str]]]:
    """Check `content` against the call's rules: (clean answers, errors by field).

    Forms and the API call this to show errors next to each field; submit and update call it
    again before writing. A required file question is satisfied by an earlier upload.
    """
    errors = _check_fields(call, content)
    answered_files = set()
    if existing is not None:
        answered_files = set(
            existing.answers.filter(file__isnull=False).values_list("question_id", flat=True)
        )
    clean: dict[int, Any] = {}
    for question in call.questions.all():
        name = f"question_{question.pk}"
        if question.kind == Question.Kind.FILE:
            if question.is_required and question.pk not in content.files:
                if question.pk not in answered_files:
                    errors.setdefault(name, []).append(_("This question needs a file."))
            continue
        value, error = _normalise_answer(question, content.answers.get(question.pk))
        if error:
            errors.setdefault(name, []).append(error)
        elif question.is_required and _is_empty(value):
            errors.setdefault(name, []).append(_("This question needs an answer."))
        clean[question.pk] = value
    return clean, errors


# --- writes ---------------------------------------------------------------------------------


def _person_fields(details: PersonDetails, language: str) -> dict:
    return {
        "name": details.name.strip(),
        "latin_name": details.latin_name.strip(),
        "email": details.email.strip().lower(),
        "organisation": details.organisation,
        "country": details.country or "",
        "preferred_language": language,
    }


def _write_answers(
    *, submission: Submission, clean: dict[int, Any], files: dict[int, UploadedFile]
) -> None:
    for question_id, value in clean.items():
        Answer.objects.update_or_create(
            submission=submission, question_id=question_id, defaults={"value": value}
        )
    for question_id, upload in files.items():
        try:
            stored = store_upload(submission=submission, upload=upload)
        except InvalidUpload as error:
            raise SubmissionInvalid({f"question_{question_id}": [str(error)]}) from error
        Answer.objects.update_or_create(
            submission=submission,
            question_id=question_id,
            defaults={"value": stored.original_name, "file": stored},
        )


def _write_co_authors(
    *, submission: Submission, co_authors: list[PersonDetails], language: str
) -> None:
    links = list(submission.co_authors.select_related("person"))
    for position, details in enumerate(co_authors):
        fields = _person_fields(details, language)
        if position < len(links):
            person = links[position].person
            for name, value in fields.items():
                setattr(person, name, value)
            person.save()
        else:
            person = Person.objects.create(**fields)
            SubmissionCoAuthor.objects.create(
                submission=submission, person=person, position=position
            )
    for link in links[len(co_authors) :]:
        person = link.person
        link.delete()
        try:
            person.delete()
        except ProtectedError:
            pass  # the person is also known elsewhere (a registration): keep them


def _issue_token(submission: Submission) -> str:
    token = make_token()
    submission.access_token_hash = hash_token(token)
    submission.save(update_fields=["access_token_hash"])
    return token


def submit_proposal(
    *,
    call: CallForParticipation,
    content: SubmissionContent,
    interface_language: str,
    now=None,
) -> tuple[Submission, str]:
    """Record a submission and return it with the raw private-link token (mailed once).

    Guarantees: nothing is written unless every field is valid; the call is open by the
    server clock (opens_at inclusive, closes_at exclusive); the confirmation e-mail goes out
    in `interface_language` after commit. Raises CallClosed, SubmissionInvalid.
    """
    now = now or timezone.now()
    if not call.is_open_at(now):
        raise CallClosed()
    clean, errors = validate_submission(call=call, content=content)
    if errors:
        raise SubmissionInvalid(errors)
    with transaction.atomic():
        submitter = Person.objects.create(**_person_fields(content.submitter, interface_language))
        submission = Submission.objects.create(
            call=call,
            congress_id=call.congress_id,
            submitter=submitter,
            organisation=content.submitter.organisation,
            organisation_name=content.submitter.organisation_name.strip(),
            submission_type=content.submission_type,
            track_id=content.track_id,
            language=content.language,
            title=content.title.strip(),
            abstract=content.abstract.strip(),
        )
        _write_co_authors(
            submission=submission, co_authors=content.co_authors, language=interface_language
        )
        _write_answers(submission=submission, clean=clean, files=content.files)
        token = _issue_token(submission)
        record_audit(
            action="cfp.submitted",
            congress=call.congress,
            target=submission,
            detail={"call_id": call.pk},
        )
        transaction.on_commit(lambda: send_confirmation_email(submission=submission, token=token))
    return submission, token


def update_submission(
    *, submission: Submission, content: SubmissionContent, now=None
) -> Submission:
    """Replace the submission's content through the private link.

    Only while the call is open and before any decision or withdrawal; the row is locked so a
    decision and an edit cannot interleave. Raises SubmissionLocked, SubmissionInvalid.
    """
    now = now or timezone.now()
    call = submission.call
    clean, errors = validate_submission(call=call, content=content, existing=submission)
    if errors:
        raise SubmissionInvalid(errors)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Submission.Status.SUBMITTED or not call.is_open_at(now):
            raise SubmissionLocked()
        language = locked.submitter.preferred_language
        person = locked.submitter
        for name, value in _person_fields(content.submitter, language).items():
            setattr(person, name, value)
        person.save()
        locked.organisation = content.submitter.organisation
        locked.organisation_name = content.submitter.organisation_name.strip()
        locked.submission_type = content.submission_type
        locked.track_id = content.track_id
        locked.language = content.language
        locked.title = content.title.strip()
        locked.abstract = content.abstract.strip()
        locked.save()
        _write_co_authors(submission=locked, co_authors=content.co_authors, language=language)
        _write_answers(submission=locked, clean=clean, files=content.files)
        record_audit(action="cfp.edited", congress=call.congress, target=locked)
    return locked


def withdraw_submission(*, submission: Submission, now=None) -> Submission:
    """Withdraw through the private link; impossible once decided. Raises SubmissionLocked.

    The programme follows in the same transaction (update_programme_session), so a withdrawn
    proposal never keeps a session.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == Submission.Status.WITHDRAWN:
            return locked
        if locked.status != Submission.Status.SUBMITTED:
            raise SubmissionLocked()
        locked.status = Submission.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        update_programme_session(submission=locked)
        record_audit(action="cfp.withdrawn", congress=locked.congress, target=locked)
    return locked


def private_link(*, token: str) -> str:
    return settings.SITE_URL + reverse("cfp:submission", kwargs={"token": token})


def send_confirmation_email(*, submission: Submission, token: str) -> None:
    """Mail the submitter their private link, in the language they used for the form."""
    person = submission.submitter
    with translation.override(person.preferred_language):
        call_title = localized(submission.call.title, submission.call.title_translations)
        link = private_link(token=token)  # under the recipient's language prefix
    send_templated_email(
        to=person.email,
        template="cfp/email/received",
        context={
            "name": person.name,
            "title": submission.title,
            "call": call_title,
            "link": link,
        },
        language=person.preferred_language,
    )


def reissue_private_link(*, submission: Submission) -> str:
    """A new private link (the old one stops working) mailed to the submitter."""
    with transaction.atomic():
        token = _issue_token(submission)
        transaction.on_commit(lambda: send_confirmation_email(submission=submission, token=token))
    return token
