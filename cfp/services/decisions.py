"""Decisions on submissions (accept, reject, waitlist) and the decision e-mails."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cfp.models import CallForParticipation, DecisionEmailTemplate, Submission
from cfp.services.programme import update_programme_session
from common.exceptions import ConflictError
from common.i18n import localized
from common.mail import in_language, send_email
from congress.services import record_audit


class InvalidDecision(ConflictError):
    code = "invalid_decision"
    default_message = gettext_lazy(
        "Only accept, reject or waitlist can be decided, and not on a withdrawn submission."
    )


def decide_submissions(
    *,
    call: CallForParticipation,
    submission_ids: Iterable[int],
    decision: str,
    actor: AbstractBaseUser | None = None,
) -> list[Submission]:
    """Set one decision on several submissions of `call` (one id for a single decision).

    In the same transaction the programme follows (update_programme_session): accepting
    makes each submission's draft session once; rejecting or waitlisting takes it out again.
    Locks the submissions (then their sessions); ids of other calls are ignored. Raises,
    changing nothing: InvalidDecision for a withdrawn submission, SessionStillInProgramme
    when a session to take out is published or sign-ups or a check-in point depend on it.
    No e-mail is sent here: queue_decision_emails does that after commit.
    """
    if decision not in Submission.DECISIONS:
        raise InvalidDecision()
    now = timezone.now()
    with transaction.atomic():
        submissions = list(
            Submission.objects.select_for_update(of=("self",))
            .select_related("congress", "submitter", "track", "programme_session")
            .filter(call=call, pk__in=list(submission_ids))
            .order_by("pk")
        )
        if any(item.status == Submission.Status.WITHDRAWN for item in submissions):
            raise InvalidDecision()
        for submission in submissions:
            if submission.status != decision:
                submission.status = decision
                submission.decided_at = now
                submission.decision_email_sent_at = None
                submission.save(
                    update_fields=["status", "decided_at", "decision_email_sent_at", "updated_at"]
                )
            update_programme_session(submission=submission, actor=actor)
            record_audit(
                action="cfp.decided",
                congress=call.congress,
                actor=actor,
                target=submission,
                detail={"decision": decision},
            )
    return submissions


DEFAULT_SUBJECTS = {
    Submission.Status.ACCEPTED: gettext_lazy("Your proposal “{title}” was accepted"),
    Submission.Status.REJECTED: gettext_lazy("Your proposal “{title}”"),
    Submission.Status.WAITLISTED: gettext_lazy("Your proposal “{title}” is on the waiting list"),
}
DEFAULT_BODIES = {
    Submission.Status.ACCEPTED: gettext_lazy(
        "Dear {name},\n\nWe are pleased to tell you that your proposal “{title}” to "
        "“{call}” was accepted for {congress}. The programme team will contact you about the "
        "schedule.\n\n{comments}"
    ),
    Submission.Status.REJECTED: gettext_lazy(
        "Dear {name},\n\nThank you for your proposal “{title}” to “{call}”. We received many "
        "strong proposals and regret that we could not include yours in the programme of "
        "{congress}.\n\n{comments}"
    ),
    Submission.Status.WAITLISTED: gettext_lazy(
        "Dear {name},\n\nYour proposal “{title}” to “{call}” is on the waiting list for "
        "{congress}. We will write again if a place opens.\n\n{comments}"
    ),
}


class _SafeFormat(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, values: dict[str, str]) -> str:
    # format_map with plain names only: organisers' templates cannot reach attributes.
    try:
        return template.format_map(_SafeFormat(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def render_decision_email(*, submission: Submission) -> tuple[str, str]:
    """(subject, body) in the submitter's language, from the call's template for that
    language, else its English one, else the built-in text."""
    language = submission.submitter.preferred_language
    templates = {
        item.language: item
        for item in DecisionEmailTemplate.objects.filter(
            call_id=submission.call_id, decision=submission.status
        )
    }
    template = templates.get(language) or templates.get("en")
    with in_language(language):
        comments = [
            review.comment_for_submitter
            for review in submission.reviews.all()
            if review.comment_for_submitter
        ]
        comment_text = ""
        if comments:
            comment_text = _("Comments from the reviewers:") + "\n\n" + "\n\n".join(comments)
        values = {
            "name": submission.submitter.name,
            "title": submission.title,
            "call": localized(submission.call.title, submission.call.title_translations),
            "congress": localized(submission.congress.name, submission.congress.name_translations),
            "comments": comment_text,
            "link": "",
        }
        subject = template.subject if template else str(DEFAULT_SUBJECTS[submission.status])
        body = template.body if template else str(DEFAULT_BODIES[submission.status])
        return _fill(subject, values).replace("\n", " "), _fill(body, values).strip() + "\n"


def send_decision_email(*, submission_id: int) -> bool:
    """Mail one decision unless it was already mailed for this decision. True when it goes.

    The decision is claimed first in a short transaction (row locked, the sent time stamped),
    so two workers never mail the same decision twice; the message leaves only after that
    transaction commits (common.mail queues it on commit), never while the row is locked: a
    slow mail server must not hold up organisers deciding. A mail server that is down delays
    the message: the mail queue retries it with backoff.
    """
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("call", "congress", "submitter")
            .get(pk=submission_id)
        )
        if not submission.is_decided or submission.decision_email_sent_at is not None:
            return False
        subject, body = render_decision_email(submission=submission)
        claimed_at = timezone.now()
        submission.decision_email_sent_at = claimed_at
        submission.save(update_fields=["decision_email_sent_at"])
        send_email(to=submission.submitter.email, subject=subject, body=body)
    return True


def queue_decision_emails(
    *, call: CallForParticipation, actor: AbstractBaseUser | None = None
) -> int:
    """Queue the decision e-mails of every decided submission not mailed yet (after commit,
    through the task backend). Returns how many are queued."""
    from cfp.tasks import send_decision_emails_task

    ids = list(
        Submission.objects.filter(
            call=call, status__in=Submission.DECISIONS, decision_email_sent_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if ids:
        record_audit(
            action="cfp.decision_emails_queued",
            congress=call.congress,
            actor=actor,
            target=call,
            detail={"count": len(ids)},
        )
        transaction.on_commit(lambda: send_decision_emails_task.enqueue(submission_ids=ids))
    return len(ids)
