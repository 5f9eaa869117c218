"""What the call for participation erases when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cfp.models import (
    Answer,
    ConflictOfInterest,
    Review,
    Submission,
    SubmissionCoAuthor,
    SubmissionFile,
)
from common.storage import get_private_file_storage
from members.models import Person

# Stored in place of an erased proposal's title (like the person's "Erased participant").
ERASED_TITLE = "Erased proposal"


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Erase what the calls for participation hold about `person`.

    Erases, for every proposal they submitted: the answers to the call's questions (their
    biography, for example), the uploaded files (rows now, files on disk once the
    transaction commits, so a rollback leaves them in place), the title and the abstract
    (written by the person and often naming them: testimonies), the private link, and the
    free text reviewers wrote about it (comments, conflict-of-interest reasons). Erases their
    co-author links on anyone's proposal.

    Keeps, so the call's figures keep counting: each proposal row with its call, type,
    track, language, organisation, status and dates; review scores and assignments; the
    co-authors the person named (other people, who did not ask for erasure). A programme
    session made from an accepted proposal is the congress's published programme and keeps
    its own title and description; the public programme no longer lists the erased speaker.

    Runs inside privacy.erasure.erase_person's transaction; does nothing for a person with
    no proposal.
    """
    submissions = Submission.objects.filter(submitter=person)
    files = SubmissionFile.objects.filter(submission__in=submissions)
    stored_names = [name for name in files.values_list("file", flat=True) if name]
    Answer.objects.filter(submission__in=submissions).delete()
    files.delete()
    Review.objects.filter(submission__in=submissions).update(
        comment_for_committee="", comment_for_submitter=""
    )
    ConflictOfInterest.objects.filter(submission__in=submissions).update(reason="")
    submissions.update(title=ERASED_TITLE, abstract="", access_token_hash="")
    SubmissionCoAuthor.objects.filter(person=person).delete()
    if stored_names:
        transaction.on_commit(lambda: _delete_stored_files(stored_names))


def _delete_stored_files(names: list[str]) -> None:
    storage = get_private_file_storage()
    for name in names:
        storage.delete(name)  # a file already gone is not an error
