"""Programme API: the public programme, participants' sign-ups and staff CRUD.

Views parse, check permission, call one service or query, and render.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.permissions import CongressRolePermission
from congress.api.views import CongressScopedMixin
from congress.permissions import Role, has_congress_role
from sessions import services
from sessions.api.serializers import (
    RoomSerializer,
    SessionSerializer,
    SessionWriteSerializer,
    SignupRequestSerializer,
    SignupSerializer,
    StaffSignupSerializer,
    TimetableWarningSerializer,
    programme_row_data,
)
from sessions.exceptions import RegistrationNotConfirmed, SignupNotActive
from sessions.models import Room, Session, SessionSignup
from sessions.queries import (
    attach_public_speakers,
    participant_registration,
    programme_rows,
    programme_sessions,
    session_signups,
)


class ProgrammePagination(PageNumberPagination):
    # A whole congress programme fits in one page; clients may ask for smaller pages.
    page_size = 250
    page_size_query_param = "page_size"
    max_page_size = 1000


class ReadPublicWriteOrganiser(BasePermission):
    """Anyone reads a published congress's programme; organisers of the congress write."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return has_congress_role(request.user, view.get_congress(), Role.ORGANISER)


class ProgrammeScopedMixin(CongressScopedMixin):
    # A draft congress's programme exists only for its staff: CongressScopedMixin's rule.
    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "congress": self.get_congress()}

    def is_organiser(self) -> bool:
        return has_congress_role(self.request.user, self.get_congress(), Role.ORGANISER)


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError({"date": ["Use the format YYYY-MM-DD."]}) from error


def _speakers(validated: dict) -> list | None:
    if "speakers" not in validated:
        return None
    return [(item["person"], item["role"]) for item in validated.pop("speakers")]


def _session_response(session: Session, congress, *, status_code: int) -> Response:
    session = programme_sessions(congress=congress, include_unpublished=True).get(pk=session.pk)
    warnings = services.check_session(session=session)
    body = {
        **SessionSerializer(session).data,
        "warnings": TimetableWarningSerializer([w.as_dict() for w in warnings], many=True).data,
    }
    return Response(body, status=status_code)


@extend_schema(
    parameters=[
        OpenApiParameter("track", str, description="Track slug."),
        OpenApiParameter("language", str, description="Floor or interpretation language."),
        OpenApiParameter("date", datetime.date, description="Day, in the congress time zone."),
        OpenApiParameter("q", str, description="Search in titles and speakers' names."),
        OpenApiParameter(
            "include_drafts", bool, description="Organisers only: also draft sessions."
        ),
    ]
)
class SessionListView(ProgrammeScopedMixin, generics.ListCreateAPIView):
    """GET: the published programme (public). POST: create a session (organisers).

    A created session's response carries `warnings`, the timetable conflicts it causes.
    """

    permission_classes = [ReadPublicWriteOrganiser]
    pagination_class = ProgrammePagination

    def get_serializer_class(self):
        return SessionWriteSerializer if self.request.method == "POST" else SessionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return programme_sessions(
            congress=self.get_congress(),
            day=_parse_date(params.get("date")),
            track=params.get("track") or None,
            language=params.get("language") or None,
            search=params.get("q") or None,
            include_unpublished=params.get("include_drafts") == "1" and self.is_organiser(),
        )

    def list(self, request, *args, **kwargs):
        # Plain rows, not model instances: a whole programme is hundreds of sessions. The
        # body is what SessionSerializer gives (it documents the schema).
        congress = self.get_congress()
        page = self.paginate_queryset(programme_rows(self.get_queryset()))
        tz, language = congress.tzinfo, get_language() or "en"
        data = [
            programme_row_data(row, tz=tz, language=language)
            for row in attach_public_speakers(page)
        ]
        return self.get_paginated_response(data)

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionSerializer})
    def create(self, request, *args, **kwargs):
        congress = self.get_congress()
        serializer = SessionWriteSerializer(data=request.data, context={"congress": congress})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        speakers = _speakers(data)
        session = services.save_session(
            session=Session(congress=congress, **data), speakers=speakers, actor=request.user
        )
        return _session_response(session, congress, status_code=status.HTTP_201_CREATED)


class SessionDetailView(ProgrammeScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """GET: one published session (public). PUT/PATCH/DELETE: organisers."""

    permission_classes = [ReadPublicWriteOrganiser]

    def get_serializer_class(self):
        return SessionSerializer if self.request.method in SAFE_METHODS else SessionWriteSerializer

    def get_queryset(self):
        return programme_sessions(
            congress=self.get_congress(),
            include_unpublished=self.request.method not in SAFE_METHODS or self.is_organiser(),
        )

    @extend_schema(request=SessionWriteSerializer, responses={200: SessionSerializer})
    def update(self, request, *args, **kwargs):
        congress = self.get_congress()
        session = self.get_object()
        serializer = SessionWriteSerializer(
            session,
            data=request.data,
            partial=kwargs.get("partial", False),
            context={"congress": congress},
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        speakers = _speakers(data)
        for name, value in data.items():
            setattr(session, name, value)
        services.save_session(session=session, speakers=speakers, actor=request.user)
        return _session_response(session, congress, status_code=status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.delete_session(session=instance, actor=self.request.user)


class RoomListView(CongressScopedMixin, generics.ListCreateAPIView):
    """The congress's rooms (organisers)."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)
    serializer_class = RoomSerializer
    pagination_class = ProgrammePagination

    def get_queryset(self):
        return Room.objects.filter(congress=self.get_congress()).order_by("position", "name")

    def perform_create(self, serializer):
        room = Room(congress=self.get_congress(), **serializer.validated_data)
        serializer.instance = services.save_room(room=room, actor=self.request.user)


class RoomDetailView(CongressScopedMixin, generics.RetrieveUpdateAPIView):
    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)
    serializer_class = RoomSerializer

    def get_queryset(self):
        return Room.objects.filter(congress=self.get_congress())

    def perform_update(self, serializer):
        room = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(room, name, value)
        services.save_room(room=room, actor=self.request.user)


class TimetableCheckView(CongressScopedMixin, APIView):
    """Organisers: every conflict of the congress's timetable."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)

    @extend_schema(
        responses=inline_serializer(
            "TimetableCheck", {"warnings": TimetableWarningSerializer(many=True)}
        )
    )
    def get(self, request, slug: str):
        warnings = services.check_timetable(congress=self.get_congress())
        data = TimetableWarningSerializer([w.as_dict() for w in warnings], many=True).data
        return Response({"warnings": data})


class _SignupMixin(ProgrammeScopedMixin):
    permission_classes = [AllowAny]

    def get_session(self) -> Session:
        return get_object_or_404(
            Session.objects.select_related("room", "congress"),
            pk=self.kwargs["pk"],
            congress=self.get_congress(),
            status=Session.Status.PUBLISHED,
        )

    def get_registration(self):
        request_serializer = SignupRequestSerializer(data=self.request.data)
        request_serializer.is_valid(raise_exception=True)
        registration = participant_registration(
            congress=self.get_congress(),
            user=self.request.user,
            token=request_serializer.validated_data.get("token") or None,
        )
        if registration is None:
            raise RegistrationNotConfirmed()
        return registration


class SessionSignupView(_SignupMixin, generics.ListAPIView):
    """POST: sign up (participant, by private token in the body or as a logged-in user):
    201 with `state` `seated` or `waitlisted`. GET: the session's sign-ups (organisers)."""

    serializer_class = StaffSignupSerializer
    pagination_class = ProgrammePagination

    def get_permissions(self):
        if self.request.method == "GET":
            return [CongressRolePermission()]
        return super().get_permissions()

    congress_roles = (Role.ORGANISER,)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no session
            return SessionSignup.objects.none()
        return session_signups(session=self.get_session())

    @extend_schema(request=SignupRequestSerializer, responses={201: SignupSerializer})
    def post(self, request, slug: str, pk: int):
        signup = services.sign_up_for_session(
            session=self.get_session(), registration=self.get_registration(), actor=request.user
        )
        return Response(SignupSerializer(signup).data, status=status.HTTP_201_CREATED)


class SessionSignupCancelView(_SignupMixin, APIView):
    """Cancel one's own sign-up (seat or waitlist place); the next person waiting is seated."""

    @extend_schema(request=SignupRequestSerializer, responses={200: SignupSerializer})
    def post(self, request, slug: str, pk: int):
        session = self.get_session()
        registration = self.get_registration()
        signup = (
            SessionSignup.objects.filter(session=session, registration=registration)
            .exclude(state=SessionSignup.State.CANCELLED)
            .first()
        )
        if signup is None:
            raise SignupNotActive()
        signup = services.cancel_signup(signup=signup, actor=request.user)
        return Response(SignupSerializer(signup).data)
