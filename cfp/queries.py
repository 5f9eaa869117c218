"""Read-side querysets for calls for participation."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Avg, Count, F, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from cfp.models import Answer, CallForParticipation, Review, Submission
from congress.models import Congress

DASHBOARD_SORTS = {
    "score": ("-score_mean", "pk"),
    "-score": ("score_mean", "pk"),
    "spread": ("-score_spread", "pk"),
    "title": ("title", "pk"),
    "submitted": ("submitted_at", "pk"),
}


def open_calls(*, congress: Congress, now=None) -> QuerySet[CallForParticipation]:
    now = now or timezone.now()
    return CallForParticipation.objects.filter(
        congress=congress, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at", "title")


def calls_of(*, congress: Congress) -> QuerySet[CallForParticipation]:
    return CallForParticipation.objects.filter(congress=congress).annotate(
        submission_total=Count("submissions", distinct=True)
    )


def call_for_form(queryset: QuerySet[CallForParticipation]) -> QuerySet[CallForParticipation]:
    return queryset.select_related("congress").prefetch_related("tracks", "questions")


def review_dashboard(
    *,
    call: CallForParticipation,
    track: str | None = None,
    submission_type: str | None = None,
    language: str | None = None,
    country: str | None = None,
    status: str | None = None,
    min_score: float | None = None,
    sort: str = "score",
) -> QuerySet[Submission]:
    """Submissions of one call with score_mean, score_min/max, score_spread, review_count;
    reviews prefetched with their reviewers. Scoped to the call before any filter."""
    queryset = Submission.objects.filter(call=call)
    if track:
        queryset = queryset.filter(track__slug=track)
    if submission_type:
        queryset = queryset.filter(submission_type=submission_type)
    if language:
        queryset = queryset.filter(language=language)
    if country:
        queryset = queryset.filter(submitter__country=country.upper())
    if status:
        queryset = queryset.filter(status=status)
    queryset = queryset.annotate(
        review_count=Count("reviews", distinct=True),
        score_mean=Avg("reviews__score"),
        score_low=Min("reviews__score"),
        score_high=Max("reviews__score"),
    ).annotate(score_spread=F("score_high") - F("score_low"))
    if min_score is not None:
        queryset = queryset.filter(score_mean__gte=min_score)
    order = DASHBOARD_SORTS.get(sort, DASHBOARD_SORTS["score"])
    first = order[0]
    # Unreviewed submissions (no mean) go last whatever the direction.
    field_name = first.lstrip("-")
    ordering = [
        F(field_name).desc(nulls_last=True)
        if first.startswith("-")
        else F(field_name).asc(nulls_last=True),
        *order[1:],
    ]
    return (
        queryset.select_related("submitter", "organisation", "track")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer").order_by("created_at", "pk"),
            )
        )
        .order_by(*ordering)
    )


def assigned_submissions(*, reviewer: AbstractBaseUser, congress: Congress) -> QuerySet[Submission]:
    """Submissions of `congress` assigned to `reviewer` (withdrawn ones left out)."""
    return (
        Submission.objects.filter(congress=congress, assignments__reviewer=reviewer)
        .exclude(status=Submission.Status.WITHDRAWN)
        .select_related("call", "track")
        .annotate(
            my_review_count=Count("reviews", filter=Q(reviews__reviewer=reviewer), distinct=True)
        )
        .order_by("call", "submitted_at", "pk")
    )


def submission_detail(queryset: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    queryset = queryset if queryset is not None else Submission.objects.all()
    return queryset.select_related(
        "call", "congress", "submitter", "organisation", "track", "programme_session"
    ).prefetch_related(
        "co_authors__person__organisation",
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question", "file").order_by(
                "question__position", "question_id"
            ),
        ),
    )


def staff_submissions(*, congress: Congress) -> QuerySet[Submission]:
    """Every submission of the congress, for organisers' API lists."""
    return (
        Submission.objects.filter(congress=congress)
        .select_related("call", "track", "submitter", "organisation")
        .prefetch_related("co_authors__person")
        .order_by("submitted_at", "pk")
    )


def staff_reviews(*, congress: Congress) -> QuerySet[Review]:
    return (
        Review.objects.filter(submission__congress=congress)
        .select_related("submission", "reviewer")
        .order_by("submission_id", "created_at", "pk")
    )
