import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfp.models import ConflictOfInterest, Review, ReviewAssignment, Submission
from cfp.services import (
    assign_reviewer,
    assign_reviewers_automatically,
    decide_submissions,
    declare_conflict,
    invite_reviewer,
    submit_review,
)
from cfp.services.review import (
    NotAssigned,
    ReviewClosed,
    ReviewerFacts,
    ReviewerNotEligible,
    ScoreOutOfScale,
    SubmissionFacts,
    is_eligible,
    plan_assignments,
)
from congress.models import CongressRole
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressRoleFactory, TrackFactory
from tests.factories.members import OrganisationFactory, PersonFactory, UserFactory

ORG_IDS = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


@st.composite
def assignment_worlds(draw):
    reviewers = [
        ReviewerFacts(
            id=index,
            organisation_id=draw(ORG_IDS),
            organisation_name=draw(st.sampled_from(["", "amnesty", "ecpm"])),
            track_ids=draw(
                st.one_of(st.none(), st.frozensets(st.integers(1, 3), min_size=1, max_size=3))
            ),
        )
        for index in range(1, draw(st.integers(0, 8)) + 1)
    ]
    submissions = [
        SubmissionFacts(
            id=100 + index,
            track_id=draw(st.one_of(st.none(), st.integers(1, 3))),
            organisation_id=draw(ORG_IDS),
            organisation_name=draw(st.sampled_from(["", "amnesty", "ecpm"])),
            author_user_ids=draw(st.frozensets(st.integers(1, 8), max_size=1)),
        )
        for index in range(draw(st.integers(0, 12)))
    ]
    pairs = [(s.id, r.id) for s in submissions for r in reviewers]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), unique=True))) if pairs else set()
    return submissions, reviewers, conflicts, draw(st.integers(1, 4))


@settings(max_examples=300, deadline=None, database=None)
@given(assignment_worlds())
def test_plan_assignments_never_picks_conflicted_or_same_organisation_reviewer(world):
    submissions, reviewers, conflicts, per_submission = world
    by_id = {reviewer.id: reviewer for reviewer in reviewers}
    submission_by_id = {submission.id: submission for submission in submissions}

    plan = plan_assignments(
        submissions=submissions,
        reviewers=reviewers,
        per_submission=per_submission,
        existing=set(),
        conflicts=conflicts,
    )

    for submission_id, reviewer_id in plan:
        submission, reviewer = submission_by_id[submission_id], by_id[reviewer_id]
        assert (submission_id, reviewer_id) not in conflicts
        assert reviewer_id not in submission.author_user_ids
        assert submission.organisation_id is None or (
            submission.organisation_id != reviewer.organisation_id
        )
        assert not submission.organisation_name or (
            submission.organisation_name != reviewer.organisation_name
        )
    assert len(plan) == len(set(plan))
    for submission in submissions:
        eligible = sum(is_eligible(submission, r, conflicts) for r in reviewers)
        assert sum(1 for s, _r in plan if s == submission.id) == min(per_submission, eligible)


def test_plan_assignments_balances_load_across_reviewers():
    reviewers = [
        ReviewerFacts(id=i, organisation_id=None, organisation_name="", track_ids=None)
        for i in (1, 2, 3)
    ]
    submissions = [
        SubmissionFacts(id=i, track_id=None, organisation_id=None, organisation_name="")
        for i in range(10, 16)
    ]

    plan = plan_assignments(
        submissions=submissions,
        reviewers=reviewers,
        per_submission=2,
        existing=set(),
        conflicts=set(),
    )

    loads = sorted(sum(1 for _s, r in plan if r == reviewer.id) for reviewer in reviewers)
    assert loads == [4, 4, 4]


def _reviewer(call, organisation=None, tracks=()):
    user = UserFactory()
    PersonFactory(user=user, organisation=organisation)
    invite_reviewer(call=call, reviewer=user, tracks=tracks)
    return user


@pytest.mark.django_db
def test_assign_reviewers_automatically_skips_conflicts_and_same_organisation():
    call = CallFactory(reviews_per_submission=2)
    own_organisation = OrganisationFactory(name="Own NGO")
    submission = SubmissionFactory(call=call, organisation=own_organisation)
    colleague = _reviewer(call, organisation=own_organisation)
    conflicted = _reviewer(call)
    free_one = _reviewer(call)
    free_two = _reviewer(call)
    ConflictOfInterest.objects.create(submission=submission, reviewer=conflicted)

    created = assign_reviewers_automatically(call=call)

    assigned = {assignment.reviewer_id for assignment in created}
    assert assigned == {free_one.pk, free_two.pk}
    assert colleague.pk not in assigned


@pytest.mark.django_db
def test_assign_reviewers_automatically_respects_invited_tracks_and_is_idempotent():
    call = CallFactory(reviews_per_submission=1)
    media, drugs = TrackFactory(congress=call.congress), TrackFactory(congress=call.congress)
    submission = SubmissionFactory(call=call, track=media)
    _reviewer(call, tracks=[drugs])
    media_reviewer = _reviewer(call, tracks=[media])

    assign_reviewers_automatically(call=call)
    assign_reviewers_automatically(call=call)

    assert list(
        ReviewAssignment.objects.filter(submission=submission).values_list("reviewer_id", flat=True)
    ) == [media_reviewer.pk]


@pytest.mark.django_db
def test_assign_reviewers_automatically_with_seeded_random_worlds_never_conflicts():
    rng = random.Random(20270615)
    call = CallFactory(reviews_per_submission=3)
    organisations = [OrganisationFactory() for _ in range(3)]
    reviewers = [_reviewer(call, organisation=rng.choice([None, *organisations])) for _ in range(6)]
    submissions = [
        SubmissionFactory(call=call, organisation=rng.choice([None, *organisations]))
        for _ in range(12)
    ]
    for submission in submissions:
        for reviewer in rng.sample(reviewers, 2):
            ConflictOfInterest.objects.create(submission=submission, reviewer=reviewer)

    assign_reviewers_automatically(call=call)

    for assignment in ReviewAssignment.objects.select_related("submission", "reviewer__person"):
        assert not ConflictOfInterest.objects.filter(
            submission=assignment.submission, reviewer=assignment.reviewer
        ).exists()
        organisation_id = assignment.submission.organisation_id
        assert (
            organisation_id is None or organisation_id != assignment.reviewer.person.organisation_id
        )


@pytest.mark.django_db
def test_assign_reviewer_by_hand_to_conflicted_reviewer_is_refused():
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    ConflictOfInterest.objects.create(submission=submission, reviewer=reviewer)

    with pytest.raises(ReviewerNotEligible):
        assign_reviewer(submission=submission, reviewer=reviewer)

    assert ReviewAssignment.objects.count() == 0


@pytest.mark.django_db
def test_assign_reviewer_by_hand_to_uninvited_user_is_refused():
    submission = SubmissionFactory()
    stranger = UserFactory()

    with pytest.raises(ReviewerNotEligible):
        assign_reviewer(submission=submission, reviewer=stranger)

    assert ReviewAssignment.objects.count() == 0


@pytest.mark.django_db
def test_invite_reviewer_grants_reviewer_role_for_that_congress_only():
    call = CallFactory()
    user = UserFactory()

    invite_reviewer(call=call, reviewer=user)

    assert list(CongressRole.objects.filter(user=user).values_list("congress_id", "role")) == [
        (call.congress_id, "reviewer")
    ]


@pytest.mark.django_db
def test_declare_conflict_removes_assignment_and_review():
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    submit_review(submission=submission, reviewer=reviewer, score=4)

    declare_conflict(submission=submission, reviewer=reviewer, reason="Former colleague")

    assert ReviewAssignment.objects.count() == 0
    assert Review.objects.count() == 0
    assert ConflictOfInterest.objects.get().reason == "Former colleague"


@pytest.mark.django_db
def test_submit_review_records_score_and_both_comments():
    call = CallFactory(score_min=1, score_max=10)
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)

    submit_review(
        submission=submission,
        reviewer=reviewer,
        score=9,
        comment_for_committee="Strong.",
        comment_for_submitter="Please shorten.",
    )

    review = Review.objects.get()
    assert (review.score, review.comment_for_committee, review.comment_for_submitter) == (
        9,
        "Strong.",
        "Please shorten.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("score", [0, 6])
def test_submit_review_outside_scale_is_refused(score):
    call = CallFactory(score_min=1, score_max=5)
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)

    with pytest.raises(ScoreOutOfScale):
        submit_review(submission=submission, reviewer=reviewer, score=score)

    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_submit_review_of_unassigned_submission_is_refused():
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = CongressRoleFactory(congress=call.congress, role=CongressRole.Role.REVIEWER).user

    with pytest.raises(NotAssigned):
        submit_review(submission=submission, reviewer=reviewer, score=3)

    assert Review.objects.count() == 0


@pytest.mark.django_db
def test_submit_review_after_decision_is_refused():
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    decide_submissions(call=call, submission_ids=[submission.pk], decision="rejected")

    with pytest.raises(ReviewClosed):
        submit_review(submission=submission, reviewer=reviewer, score=3)

    assert Submission.objects.get().status == "rejected"
