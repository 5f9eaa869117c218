"""Write-side services of the congress app, re-exported so `from congress.services import X`
keeps working: core services (audit, roles, publishing) and calls for participation."""

from congress.services.cfp import (
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
from congress.services.cfp_decisions import (
    decide_submissions,
    queue_decision_emails,
    send_decision_email,
)
from congress.services.cfp_review import (
    assign_reviewer,
    assign_reviewers_automatically,
    declare_conflict,
    invite_reviewer,
    submit_review,
)
from congress.services.core import grant_congress_role, publish_congress, record_audit

__all__ = [
    "CallClosed",
    "PersonDetails",
    "SubmissionContent",
    "SubmissionInvalid",
    "SubmissionLocked",
    "assign_reviewer",
    "assign_reviewers_automatically",
    "decide_submissions",
    "declare_conflict",
    "grant_congress_role",
    "invite_reviewer",
    "publish_congress",
    "queue_decision_emails",
    "record_audit",
    "reissue_private_link",
    "send_decision_email",
    "submission_for_access_token",
    "submit_proposal",
    "submit_review",
    "update_submission",
    "validate_submission",
    "withdraw_submission",
]
