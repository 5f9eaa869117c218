from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.exceptions import DomainError
from common.ratelimit import Rate, RateLimited, client_ip, hit
from congress.api.permissions import CongressRolePermission
from congress.api.views import AuditedListMixin, CongressScopedMixin
from congress.permissions import Role
from members.models import Organisation
from registrations import queries, services
from registrations.api.filters import RegistrationFilter
from registrations.api.serializers import (
    ActionSerializer,
    FeeQuoteParamsSerializer,
    MarkPaidSerializer,
    MoveSerializer,
    PublicCategorySerializer,
    RegistrationCreatedSerializer,
    RegistrationCreateSerializer,
    RegistrationQuestionSerializer,
    StaffRegistrationSerializer,
    category_row,
    created_body,
    plain_registration_request,
    question_row,
)
from registrations.config_cache import registration_config
from registrations.models import Registration, RegistrationCategory

ACTIONS = ["approve", "reject", "cancel", "move", "mark-paid"]


class RegistrationsPermission(CongressRolePermission):
    """POST (registering) is public; reading the list needs the organiser role.

    Reviewers and check-in staff get no list: as on the organisers' registration pages, the
    list carries contact data (e-mail, payment reference) that their work does not need.
    """

    def has_permission(self, request, view) -> bool:
        if request.method == "POST":
            return True
        return super().has_permission(request, view)


class RegistrationListCreateView(AuditedListMixin, CongressScopedMixin, generics.ListCreateAPIView):
    """Register for a congress (public; a draft congress answers 404 except to its staff),
    or list its registrations (organisers of the congress only, protected people included).
    """

    permission_classes = [RegistrationsPermission]
    congress_roles = (Role.ORGANISER,)
    serializer_class = StaffRegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        # Only organisers reach the list (RegistrationsPermission): they see everyone.
        queryset = queries.registrations_for_staff(
            congress=self.get_congress(), include_protected=True
        )
        return queries.search_registrations(queryset, text=self.request.GET.get("q", ""))

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={201: RegistrationCreatedSerializer},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        congress = self.get_congress()
        rate = Rate.parse(getattr(settings, "REGISTRATION_RATE_LIMIT", "30/3600"))
        limit = hit(scope="register", key=client_ip(request), rate=rate)
        if not limit.allowed:
            raise RateLimited(retry_after=limit.retry_after)
        values = plain_registration_request(request.data)
        if values is None:
            data = RegistrationCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        category = registration_config(congress).categories.get(values["category"])
        if category is None:
            raise Http404
        outcome = services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(
                email=values["email"],
                name=values["name"],
                latin_name=values["latin_name"],
                country=str(values["country"] or ""),
                organisation=values["organisation"],
                organisation_name=values["organisation_name"],
                language=values["language"],
                answers=values["answers"],
                list_visibility=values["list_visibility"],
            ),
            payment_method=values["payment_method"],
            voucher_code=values["voucher_code"],
            access_code=values["access_code"],
            invitation_token=values["invitation"],
        )
        registration = outcome.registration
        body = created_body(registration)
        if (
            registration.status == Registration.Status.PENDING_PAYMENT
            and registration.payment_method == Registration.PaymentMethod.CARD
        ):
            from registrations.views import checkout_return_urls

            success_url, cancel_url = checkout_return_urls(request, outcome.access_token)
            try:
                payment = services.start_checkout(
                    registration=registration, success_url=success_url, cancel_url=cancel_url
                )
            except DomainError:
                # The registration stands; the participant pays from the private link.
                body["checkout_url"] = ""
            else:
                body["checkout_url"] = payment.checkout_url
        return Response(body, status=status.HTTP_201_CREATED)


class RegistrationActionView(CongressScopedMixin, APIView):
    """Organiser actions on one registration: approve, reject, cancel, move, mark-paid."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)

    @extend_schema(
        operation_id="v1_congresses_registrations_action",
        request=ActionSerializer,
        responses={200: StaffRegistrationSerializer},
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=ACTIONS)],
    )
    def post(self, request, slug: str, pk: int, action: str):
        congress = self.get_congress()
        registration = get_object_or_404(
            Registration.objects.select_related("category", "congress", "person"),
            congress=congress,
            pk=pk,
        )
        user = request.user
        if action == "approve":
            services.approve_registration(registration=registration, actor=user)
        elif action == "reject":
            services.reject_registration(registration=registration, actor=user)
        elif action == "cancel":
            services.cancel_registration(registration=registration, actor=user)
        elif action == "move":
            data = MoveSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            category = get_object_or_404(
                RegistrationCategory, congress=congress, code=data.validated_data["category"]
            )
            services.move_registration(registration=registration, category=category, actor=user)
        elif action == "mark-paid":
            data = MarkPaidSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.mark_transfer_received(
                registration=registration,
                actor=user,
                amount_minor=data.validated_data.get("amount_minor"),
            )
        else:
            return Response({"code": "unknown_action"}, status=status.HTTP_404_NOT_FOUND)
        registration = queries.registrations_for_staff(
            congress=congress, include_protected=True
        ).get(pk=pk)
        return Response(StaffRegistrationSerializer(registration).data)


class PublicCategoriesView(CongressScopedMixin, APIView):
    """The categories open to the public now, with their names in each language and the fee
    for the given country, organisation, voucher (and e-mail address, for the member rate:
    see "Verified membership" in docs/registrations.md). Computed by the same function as
    the registration form's live quote and the amount charged."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="v1_congresses_categories_list",
        parameters=[
            OpenApiParameter("country", str, description="ISO 3166 code, e.g. SN."),
            OpenApiParameter("organisation", int, description="Organisation id."),
            OpenApiParameter("voucher", str, description="Voucher code."),
            OpenApiParameter(
                "email", str, description="Registrant's address (member rate by its domain)."
            ),
            OpenApiParameter("access_code", str, description="Shows a hidden category too."),
        ],
        responses={200: PublicCategorySerializer(many=True)},
        auth=[],
    )
    def get(self, request, slug: str):
        congress = self.get_congress()
        params = FeeQuoteParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        organisation = None
        if values["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=values["organisation"]).first()
        categories = queries.public_categories_with_fees(
            congress=congress, now=timezone.now(), access_code=values["access_code"]
        )
        fees = services.quote_fees(
            congress=congress,
            categories=categories,
            country=values["country"].upper(),
            organisation=organisation,
            voucher_code=values["voucher"],
            email=values["email"],
        )
        rows = [category_row(category, fees[category.pk]) for category in categories]
        return Response(PublicCategorySerializer(rows, many=True).data)


class RegistrationQuestionsView(CongressScopedMixin, APIView):
    """The registration questions, with labels and choices in each language; `answers` in a
    registration maps each question's `code` to its answer (see the registration call)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="v1_congresses_registration_questions_list",
        parameters=[
            OpenApiParameter("category", str, description="Only the questions of this category.")
        ],
        responses={200: RegistrationQuestionSerializer(many=True)},
        auth=[],
    )
    def get(self, request, slug: str):
        congress = self.get_congress()
        questions = queries.questions_for(congress=congress)
        code = request.query_params.get("category", "")[:50]
        if code:
            category = get_object_or_404(
                queries.open_categories(congress=congress, now=timezone.now()), code=code
            )
            questions = queries.questions_for_category(questions=questions, category=category)
        rows = [question_row(question) for question in questions]
        return Response(RegistrationQuestionSerializer(rows, many=True).data)
