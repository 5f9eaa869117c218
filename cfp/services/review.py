"""Review of submissions: reviewer invitations, assignment, conflicts of interest, scores.

The assignment rule, `plan_assignments`, is a pure function so that it can be checked by a
property test: it never pairs a submission with a reviewer who declared a conflict, who works
for the submitter's organisation, or who is one of its authors.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy

from cfp.models import (
    CallForParticipation,
    ConflictOfInterest,
    Review,
    ReviewAssignment,
    ReviewerInvitation,
    Submission,
)
from common.exceptions import ConflictError, DomainError, NotPermitted
from congress.models import CongressRole, Track
from congress.permissions import has_congress_role
from congress.services import grant_congress_role, record_audit


class ReviewerNotEligible(ConflictError):
    code = "reviewer_not_eligible"
    default_message = gettext_lazy(
        "This reviewer cannot review this submission: a declared conflict of interest, the "
        "same organisation as the submitter, or not invited to its track."
    )


class NotAssigned(NotPermitted):
    code = "not_assigned"
    default_message = gettext_lazy("This submission is not assigned to you.")


class ScoreOutOfScale(DomainError):
    code = "score_out_of_scale"
    default_message = gettext_lazy("The score is outside the call's scale.")


class ReviewClosed(ConflictError):
    code = "review_closed"
    default_message = gettext_lazy("This submission was withdrawn or decided: reviews are closed.")


@dataclass(frozen=True)
class SubmissionFacts:
    id: int
    track_id: int | None
    organisation_id: int | None
    organisation_name: str  # normalised (casefolded, stripped); "" when unknown
    author_user_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ReviewerFacts:
    id: int
    organisation_id: int | None
    organisation_name: str
    track_ids: frozenset[int] | None  # None: every track


def normalise_organisation_name(name: str) -> str:
    return " ".join(name.casefold().split())


def is_eligible(
    submission: SubmissionFacts,
    reviewer: ReviewerFacts,
    conflicts: set[tuple[int, int]],
) -> bool:
    """May `reviewer` review `submission`? (conflicts: {(submission id, reviewer id)})"""
    if (submission.id, reviewer.id) in conflicts or reviewer.id in submission.author_user_ids:
        return False
    if submission.organisation_id is not None and (
        submission.organisation_id == reviewer.organisation_id
    ):
        return False
    if submission.organisation_name and (
        submission.organisation_name == reviewer.organisation_name
    ):
        return False
    if reviewer.track_ids is not None and submission.track_id is not None:
        return submission.track_id in reviewer.track_ids
    return True


def plan_assignments(
    *,
    submissions: list[SubmissionFacts],
    reviewers: list[ReviewerFacts],
    per_submission: int,
    existing: set[tuple[int, int]],
    conflicts: set[tuple[int, int]],
) -> list[tuple[int, int]]:
    """New (submission id, reviewer id) pairs topping each submission up to `per_submission`.

    Balanced: each pick goes to the eligible reviewer with the fewest assignments so far (ties
    by id, so the plan is deterministic). Submissions with the fewest reviewers go first.
    A submission with too few eligible reviewers gets as many as there are.
    """
    load: dict[int, int] = defaultdict(int)
    assigned: dict[int, set[int]] = defaultdict(set)
    for submission_id, reviewer_id in existing:
        load[reviewer_id] += 1
        assigned[submission_id].add(reviewer_id)
    plan = []
    for submission in sorted(submissions, key=lambda item: (len(assigned[item.id]), item.id)):
        missing = per_submission - len(assigned[submission.id])
        if missing <= 0:
            continue
        candidates = sorted(
            (
                reviewer
                for reviewer in reviewers
                if reviewer.id not in assigned[submission.id]
                and is_eligible(submission, reviewer, conflicts)
            ),
            key=lambda reviewer: (load[reviewer.id], reviewer.id),
        )
        for reviewer in candidates[:missing]:
            plan.append((submission.id, reviewer.id))
            load[reviewer.id] += 1
            assigned[submission.id].add(reviewer.id)
    return plan


# --- facts from the database ----------------------------------------------------------------


def _submission_facts(submissions: Iterable[Submission]) -> list[SubmissionFacts]:
    facts = []
    for submission in submissions:
        authors = [submission.submitter, *(link.person for link in submission.co_authors.all())]
        facts.append(
            SubmissionFacts(
                id=submission.pk,
                track_id=submission.track_id,
                organisation_id=submission.organisation_id,
                organisation_name=normalise_organisation_name(
                    submission.organisation.name
                    if submission.organisation
                    else submission.organisation_name
                ),
                author_user_ids=frozenset(p.user_id for p in authors if p.user_id is not None),
            )
        )
    return facts


def _reviewer_facts(call: CallForParticipation) -> list[ReviewerFacts]:
    invitations = (
        ReviewerInvitation.objects.filter(
            call=call,
            reviewer__is_active=True,
            reviewer__congress_roles__congress_id=call.congress_id,
            reviewer__congress_roles__role=CongressRole.Role.REVIEWER,
        )
        .select_related("reviewer__person__organisation")
        .prefetch_related("tracks")
        .distinct()
    )
    facts = []
    for invitation in invitations:
        person = getattr(invitation.reviewer, "person", None)
        organisation = person.organisation if person is not None else None
        track_ids = frozenset(track.pk for track in invitation.tracks.all())
        facts.append(
            ReviewerFacts(
                id=invitation.reviewer_id,
                organisation_id=organisation.pk if organisation else None,
                organisation_name=normalise_organisation_name(
                    organisation.name if organisation else ""
                ),
                track_ids=track_ids or None,
            )
        )
    return facts


def _reviewable(call: CallForParticipation):
    return (
        Submission.objects.filter(call=call, status=Submission.Status.SUBMITTED)
        .select_related("organisation", "submitter")
        .prefetch_related("co_authors__person")
    )


# --- writes ---------------------------------------------------------------------------------


def invite_reviewer(
    *,
    call: CallForParticipation,
    reviewer: AbstractBaseUser,
    tracks: Iterable[Track] = (),
    actor: AbstractBaseUser | None = None,
) -> ReviewerInvitation:
    """Invite `reviewer` to review the call for `tracks` (none: every track).

    Grants the congress's reviewer role. Inviting again replaces the tracks.
    """
    tracks = list(tracks)
    if any(track.congress_id != call.congress_id for track in tracks):
        raise ConflictError()
    with transaction.atomic():
        grant_congress_role(
            congress=call.congress, user=reviewer, role=CongressRole.Role.REVIEWER, granted_by=actor
        )
        invitation, _created = ReviewerInvitation.objects.get_or_create(
            call=call, reviewer=reviewer
        )
        invitation.tracks.set(tracks)
        record_audit(
            action="cfp.reviewer_invited",
            congress=call.congress,
            actor=actor,
            target=invitation,
            detail={"track_ids": sorted(track.pk for track in tracks)},
        )
    return invitation


def assign_reviewers_automatically(
    *, call: CallForParticipation, actor: AbstractBaseUser | None = None
) -> list[ReviewAssignment]:
    """Top every open submission up to the call's reviews_per_submission, balancing load.

    Never assigns a reviewer who declared a conflict, shares the submitter's organisation or
    is an author. Locks the call row so two organisers clicking at once make one plan.
    """
    with transaction.atomic():
        call = CallForParticipation.objects.select_for_update().get(pk=call.pk)
        submissions = _submission_facts(_reviewable(call))
        existing = set(
            ReviewAssignment.objects.filter(submission__call=call).values_list(
                "submission_id", "reviewer_id"
            )
        )
        conflicts = set(
            ConflictOfInterest.objects.filter(submission__call=call).values_list(
                "submission_id", "reviewer_id"
            )
        )
        plan = plan_assignments(
            submissions=submissions,
            reviewers=_reviewer_facts(call),
            per_submission=call.reviews_per_submission,
            existing=existing,
            conflicts=conflicts,
        )
        created = ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(submission_id=sid, reviewer_id=rid, is_automatic=True)
                for sid, rid in plan
            ]
        )
        record_audit(
            action="cfp.assigned_automatically",
            congress=call.congress,
            actor=actor,
            target=call,
            detail={"assignments": len(created)},
        )
    return created


def assign_reviewer(
    *, submission: Submission, reviewer: AbstractBaseUser, actor: AbstractBaseUser | None = None
) -> ReviewAssignment:
    """Assign by hand. The same eligibility rules as the automatic assignment apply.

    Raises ReviewerNotEligible (not an invited reviewer, conflict, same organisation).
    """
    call = submission.call
    reviewers = {facts.id: facts for facts in _reviewer_facts(call)}
    facts = reviewers.get(reviewer.pk)
    conflicts = set(
        ConflictOfInterest.objects.filter(submission=submission).values_list(
            "submission_id", "reviewer_id"
        )
    )
    (submission_facts,) = _submission_facts(_reviewable(call).filter(pk=submission.pk)) or [None]
    if (
        facts is None
        or submission_facts is None
        or not is_eligible(submission_facts, facts, conflicts)
    ):
        raise ReviewerNotEligible()
    with transaction.atomic():
        assignment, _created = ReviewAssignment.objects.get_or_create(
            submission=submission, reviewer=reviewer
        )
        record_audit(action="cfp.assigned", congress=call.congress, actor=actor, target=assignment)
    return assignment


def declare_conflict(
    *, submission: Submission, reviewer: AbstractBaseUser, reason: str = ""
) -> ConflictOfInterest:
    """The reviewer declares a conflict: the assignment and any review they wrote are removed,
    and no later assignment (automatic or by hand) gives them this submission again."""
    if not ReviewAssignment.objects.filter(submission=submission, reviewer=reviewer).exists():
        raise NotAssigned()
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            submission=submission, reviewer=reviewer, defaults={"reason": reason[:300]}
        )
        ReviewAssignment.objects.filter(submission=submission, reviewer=reviewer).delete()
        Review.objects.filter(submission=submission, reviewer=reviewer).delete()
        record_audit(
            action="cfp.conflict_declared",
            congress=submission.congress,
            actor=reviewer,
            target=submission,
        )
    return conflict


def submit_review(
    *,
    submission: Submission,
    reviewer: AbstractBaseUser,
    score: int,
    comment_for_committee: str = "",
    comment_for_submitter: str = "",
) -> Review:
    """Record or replace the reviewer's review.

    Raises NotAssigned (not assigned, or no longer a reviewer of the congress), ScoreOutOfScale,
    ReviewClosed (withdrawn or decided).
    """
    call = submission.call
    if not has_congress_role(reviewer, submission.congress_id, CongressRole.Role.REVIEWER):
        raise NotAssigned()
    if not ReviewAssignment.objects.filter(submission=submission, reviewer=reviewer).exists():
        raise NotAssigned()
    if not call.score_min <= score <= call.score_max:
        raise ScoreOutOfScale()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Submission.Status.SUBMITTED:
            raise ReviewClosed()
        review, _created = Review.objects.update_or_create(
            submission=locked,
            reviewer=reviewer,
            defaults={
                "score": score,
                "comment_for_committee": comment_for_committee.strip(),
                "comment_for_submitter": comment_for_submitter.strip(),
            },
        )
        record_audit(
            action="cfp.reviewed",
            congress=submission.congress,
            actor=reviewer,
            target=review,
            detail={"score": score},
        )
    return review
