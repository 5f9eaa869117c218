"""The programme side of a decision: one function keeps a submission's session in step with
its status, in both directions (as pretalx's `update_talk_slots` does).

The programme's own services make and remove the session (sessions.services); this module
only decides which to call. It runs inside the transaction that changes the submission's
status, with the submission row locked, so the programme and the decision always agree.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfp.models import Submission, SubmissionType
from common.exceptions import ConflictError
from sessions.exceptions import SessionNotWithdrawable
from sessions.models import Session
from sessions.services import create_draft_session, withdraw_draft_session

SESSION_KINDS = {
    SubmissionType.TALK: Session.Kind.PANEL,
    SubmissionType.PANEL: Session.Kind.PANEL,
    SubmissionType.WORKSHOP: Session.Kind.WORKSHOP,
    SubmissionType.TRAINING: Session.Kind.TRAINING,
    SubmissionType.TESTIMONY: Session.Kind.PLENARY,
    SubmissionType.SIDE_EVENT: Session.Kind.SIDE_EVENT,
    SubmissionType.POSTER: Session.Kind.SIDE_EVENT,
}


class SessionStillInProgramme(ConflictError):
    code = "session_in_programme"
    default_message = gettext_lazy(
        "The session made from this proposal is published in the programme or other records "
        "depend on it (sign-ups, a check-in point), so the decision was not changed."
    )

    def __init__(self, *, title: str) -> None:
        super().__init__(
            _(
                "The session “%(title)s” is published in the programme or other records "
                "depend on it (sign-ups, a check-in point), so the decision was not changed. "
                "Cancel the session in the programme first, then decide again."
            )
            % {"title": title},
            title=title,
        )


def update_programme_session(
    *, submission: Submission, actor: AbstractBaseUser | None = None
) -> Session | None:
    """Make the programme agree with the submission's status; returns its session, if any.

    Call it with the submission row locked, inside the transaction that sets the status
    (decide_submissions, withdraw_submission): the session then appears or goes exactly when
    the decision commits, and a rollback takes both back.
    - Accepted: the draft session is made once (speakers: the submitter, then the co-authors
      in order); accepting again returns the same session.
    - Any other status (rejected, waitlisted, withdrawn): the session is withdrawn from the
      programme (deleted while it is a draft nobody signed up for, kept when an organiser has
      already cancelled it) and the submission no longer points at it.
    Raises SessionStillInProgramme, changing nothing, when the session is published or other
    records depend on it (sign-ups, a check-in point): an organiser cancels it first.
    """
    if submission.status == Submission.Status.ACCEPTED:
        if submission.programme_session_id is None:
            submission.programme_session = _make_draft_session(submission, actor=actor)
            submission.save(update_fields=["programme_session"])
        return submission.programme_session
    if submission.programme_session_id is not None:
        session = submission.programme_session
        try:
            withdraw_draft_session(session=session, actor=actor)
        except SessionNotWithdrawable as error:
            raise SessionStillInProgramme(title=session.title) from error
        submission.programme_session = None
        submission.save(update_fields=["programme_session"])
    return None


def _make_draft_session(submission: Submission, *, actor: AbstractBaseUser | None) -> Session:
    co_authors = submission.co_authors.select_related("person").order_by("position", "id")
    return create_draft_session(
        congress=submission.congress,
        track=submission.track,
        kind=SESSION_KINDS.get(submission.submission_type, Session.Kind.WORKSHOP),
        title=submission.title,
        description=submission.abstract,
        language=submission.language,
        speakers=[submission.submitter, *(link.person for link in co_authors)],
        actor=actor,
    )
