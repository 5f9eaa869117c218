from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from cfp.api.serializers import (
    ReviewSerializer,
    SubmissionCreatedSerializer,
    SubmissionCreateSerializer,
    SubmissionReviewerSerializer,
    SubmissionStaffSerializer,
)
from cfp.models import Review, Submission
from cfp.queries import (
    assigned_submissions,
    call_for_form,
    open_calls,
    staff_reviews,
    staff_submissions,
)
from cfp.services import PersonDetails, SubmissionContent, SubmissionInvalid, submit_proposal
from cfp.services.submissions import CallClosed, private_link
from common.exceptions import ConflictError
from congress.api.permissions import CongressRolePermission
from congress.api.views import AuditedListMixin, CongressScopedMixin
from congress.permissions import Role, has_congress_role


class SubmissionThrottle(AnonRateThrottle):
    rate = "30/hour"


class SubmissionListCreateView(AuditedListMixin, CongressScopedMixin, generics.ListCreateAPIView):
    """POST: answer an open call (public). GET: organisers see every submission of the
    congress; reviewers see only theirs, anonymised when the call says so."""

    congress_roles = (Role.ORGANISER, Role.REVIEWER)

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [CongressRolePermission()]

    def get_throttles(self):
        if self.request.method == "POST":
            return [SubmissionThrottle()]
        return super().get_throttles()

    def get_serializer_class(self):
        if self.request.method == "POST":
            return SubmissionCreateSerializer
        if getattr(self, "swagger_fake_view", False):  # schema generation: no congress
            return SubmissionStaffSerializer
        if has_congress_role(self.request.user, self.get_congress(), Role.ORGANISER):
            return SubmissionStaffSerializer
        return SubmissionReviewerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no congress
            return Submission.objects.none()
        congress = self.get_congress()
        if has_congress_role(self.request.user, congress, Role.ORGANISER):
            queryset = staff_submissions(congress=congress)
        else:
            queryset = (
                assigned_submissions(reviewer=self.request.user, congress=congress)
                .select_related("submitter", "organisation")
                .prefetch_related("co_authors__person")
            )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        return queryset

    @extend_schema(request=SubmissionCreateSerializer, responses={201: SubmissionCreatedSerializer})
    def post(self, request, *args, **kwargs):
        congress = self.get_congress()
        if not congress.is_published:
            raise CallClosed()
        serializer = SubmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        calls = call_for_form(open_calls(congress=congress, now=timezone.now()))
        if data.get("call"):
            calls = calls.filter(slug=data["call"])
        calls = list(calls[:2])
        if not calls:
            raise CallClosed()
        if len(calls) > 1:
            raise ConflictError(_call_needed_message())
        submitter = data["submitter"]
        content = SubmissionContent(
            submitter=PersonDetails(**submitter),
            submission_type=data["submission_type"],
            language=data["language"],
            title=data["title"],
            abstract=data["abstract"],
            track_id=data["track"],
            co_authors=[PersonDetails(**item) for item in data["co_authors"]],
            answers=_answers_by_id(data["answers"]),
        )
        try:
            submission, token = submit_proposal(
                call=calls[0],
                content=content,
                interface_language=translation.get_language() or "en",
            )
        except SubmissionInvalid as error:
            raise ValidationError(error.errors) from error
        body = SubmissionCreatedSerializer(
            {
                "id": submission.pk,
                "status": submission.status,
                "private_link": private_link(token=token),
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


def _call_needed_message() -> str:
    from django.utils.translation import gettext

    return gettext("Several calls are open: name the call with its slug in `call`.")


def _answers_by_id(answers: dict) -> dict[int, object]:
    parsed = {}
    for key, value in answers.items():
        try:
            parsed[int(key)] = value
        except (TypeError, ValueError) as error:
            raise ValidationError({"answers": [f"{key}: not a question id"]}) from error
    return parsed


class ReviewListView(CongressScopedMixin, generics.ListAPIView):
    """Organisers: every review of the congress's calls."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)
    serializer_class = ReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no congress
            return Review.objects.none()
        queryset = staff_reviews(congress=self.get_congress())
        submission = self.request.query_params.get("submission")
        if submission and submission.isdigit():
            queryset = queryset.filter(submission_id=int(submission))
        return queryset
