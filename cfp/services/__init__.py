"""Write-side services of calls for participation: submissions, review, decisions."""

from cfp.services.decisions import (
    decide_submissions,
    queue_decision_emails,
    send_decision_email,
)
from cfp.services.programme import SessionStillInProgramme, update_programme_session
from cfp.services.review import (
    assign_reviewer,
    assign_reviewers_automatically,
    declare_conflict,
    invite_reviewer,
    submit_review,
)
from cfp.services.submissions import (
    CallClosed,
    PersonDetails,
    SubmissionContent,
    SubmissionInvalid,
    SubmissionLocked,
    reissue_private_link,
    submission_for_access_token,
    submit_proposal,
    update_submission,
    validate_submission,
    withdraw_submission,
)

__all__ = [
    "CallClosed",
    "PersonDetails",
    "SessionStillInProgramme",
    "SubmissionContent",
    "SubmissionInvalid",
    "SubmissionLocked",
    "assign_reviewer",
    "assign_reviewers_automatically",
    "decide_submissions",
    "declare_conflict",
    "invite_reviewer",
    "queue_decision_emails",
    "reissue_private_link",
    "send_decision_email",
    "submission_for_access_token",
    "submit_proposal",
    "submit_review",
    "update_programme_session",
    "update_submission",
    "validate_submission",
    "withdraw_submission",
]
