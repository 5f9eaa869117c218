"""Badges API: badge PDF, scanning (single and offline batch), checkpoints, scan log."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from badges.api.authentication import CachedTokenAuthentication
from badges.api.serializers import (
    BatchRequestSerializer,
    CheckInRequestSerializer,
    CheckpointSerializer,
    ScanLogSerializer,
    plain_scan_request,
    registration_for_staff,
)
from badges.models import Checkpoint, Scan
from badges.queries import (
    checkpoints_with_counts,
    congress_day,
    scan_log,
    search_registrations,
)
from badges.scan_cache import cached_checkpoint, cached_scanning_context
from badges.services import (
    check_scan_rate,
    offline_token_list,
    record_scan,
    record_scan_batch,
    render_registration_badge,
)
from common.api import ContentNegotiation
from common.private_links import access_token_from
from congress.api.permissions import CongressRolePermission
from congress.api.views import AuditedListMixin, CongressScopedMixin
from congress.audit import record_personal_data_access
from congress.permissions import Role, check_congress_access, has_congress_role
from registrations.models import Registration
from registrations.self_service import registration_for_access_token

SCANNING_ROLES = (Role.ORGANISER, Role.CHECKIN_STAFF)


def outcome_body(outcome) -> dict:
    scan = outcome.scan
    return {
        "result": outcome.result,
        "reason": outcome.reason,
        "direction": scan.direction,
        "scan_id": str(scan.scan_id) if scan.scan_id else None,
        "scanned_at": scan.scanned_at.isoformat(),
        "first_checked_in_at": (
            outcome.first_checked_in_at.isoformat() if outcome.first_checked_in_at else None
        ),
        "checkpoint": {"id": scan.checkpoint_id, "name": scan.checkpoint.name},
        "inside_now": outcome.inside_now,
        "replayed": outcome.replayed,
        "rehearsal": outcome.is_rehearsal,
        "registration": registration_for_staff(
            outcome.registration,
            badge_status=("revoked" if scan.result == "revoked" else "active")
            if outcome.registration
            else "",
        ),
    }


class BadgePdfView(APIView):
    """GET /api/v1/registrations/{id}/badge.pdf: staff of its congress, or the registrant's
    access token (cookie set by the `?access=` link, or `Authorization: Access <token>`)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "application/pdf"): bytes})
    def get(self, request, pk: int):
        registration = get_object_or_404(
            Registration.objects.select_related("congress", "category"), pk=pk
        )
        # The private_access cookie or an `Authorization: Access` header (common.private_links).
        access = access_token_from(request)
        own = access and (found := registration_for_access_token(token=access)) is not None
        is_own = bool(own and found.pk == registration.pk)
        if not is_own and not has_congress_role(
            request.user, registration.congress, *SCANNING_ROLES
        ):
            raise (NotFound() if not request.user.is_authenticated else PermissionDenied())
        pdf = render_registration_badge(registration=registration, is_reprint=not is_own)
        if not is_own:  # staff printing someone's badge (a participant's own is not audited)
            record_personal_data_access(
                request=request,
                congress=registration.congress,
                kind="badge_pdf",
                count=1,
                output_format="pdf",
                target=registration,
            )
        return FileResponse(
            pdf, content_type="application/pdf", filename=f"badge-{registration.pk}.pdf"
        )


class ScanningRolePermission(BasePermission):
    """CongressRolePermission's answer for CheckInView, read from the query that also loads
    the congress and its entrance (same rules as `has_congress_role`: an active user holding
    one of the view's roles in the congress, or a superuser; unknown congress: 404)."""

    def has_permission(self, request, view) -> bool:
        view.get_congress()
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.is_superuser or view.holds_congress_role


class CheckInView(CongressScopedMixin, APIView):
    """POST /api/v1/congresses/{slug}/checkins/: one scan (or a manual check-in).

    The hot path of the check-in desk: the congress, its entrance checkpoint and the
    staff member's role come from one query (`scanning_context`), cached for 30 s.
    """

    # The token -> user lookup and the scanning context are cached briefly (30 s) on this
    # hot path: badges.api.authentication, badges.scan_cache, docs/badges.md "Hot path".
    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]
    permission_classes = [ScanningRolePermission]
    content_negotiation_class = ContentNegotiation
    congress_roles = SCANNING_ROLES
    holds_congress_role = False
    _entrance = None

    def get_congress(self):
        if getattr(self, "swagger_fake_view", False) or hasattr(self, "_congress"):
            return super().get_congress()
        congress, self._entrance, self.holds_congress_role = cached_scanning_context(
            slug=self.kwargs["slug"], user=self.request.user, roles=self.congress_roles
        )
        if congress is None:
            raise Http404
        if not (congress.is_published or self.holds_congress_role):
            # Every congress view's rule: a draft is 404 to anyone but its own staff (the
            # door's usual case, a published congress, costs no query here).
            check_congress_access(self.request, congress)
        self._congress = congress
        return congress

    def _checkpoint(self, checkpoint_id):
        if checkpoint_id is None:
            return self._entrance  # None until the entrance exists: record_scan creates it
        checkpoint = cached_checkpoint(congress=self.get_congress(), checkpoint_id=checkpoint_id)
        if checkpoint is None:
            raise Http404
        return checkpoint

    @extend_schema(request=CheckInRequestSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, slug: str):
        values = plain_scan_request(request.data)
        if values is None:
            data = CheckInRequestSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
        device = values["device_id"] or f"user-{request.user.pk}"
        check_scan_rate(device_key=device)
        outcome = record_scan(
            congress=self.get_congress(),
            checkpoint=self._checkpoint(values["checkpoint"]),
            token=values["token"],
            registration_id=values["registration"],
            direction=values["direction"],
            scan_id=values["scan_id"],
            device_id=values["device_id"],
            staff=request.user,
            scanned_at=values["scanned_at"],
        )
        return Response(outcome_body(outcome), status=status.HTTP_200_OK)


class CheckInBatchView(CongressScopedMixin, APIView):
    """POST /api/v1/congresses/{slug}/checkins/batch/: upload scans queued offline."""

    permission_classes = [CongressRolePermission]
    congress_roles = SCANNING_ROLES

    @extend_schema(request=BatchRequestSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, slug: str):
        data = BatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        check_scan_rate(device_key=values["device_id"] or f"user-{request.user.pk}")
        congress = self.get_congress()
        checkpoints = {
            checkpoint.pk: checkpoint for checkpoint in Checkpoint.objects.filter(congress=congress)
        }
        for item in values["scans"]:
            if item["checkpoint"] is not None and item["checkpoint"] not in checkpoints:
                raise NotFound()
        items = record_scan_batch(
            congress=congress,
            scans=values["scans"],
            checkpoints=checkpoints,
            device_id=values["device_id"],
            staff=request.user,
        )
        results = [{**outcome_body(item.outcome), "conflict": item.conflict} for item in items]
        return Response(
            {
                "results": results,
                "conflicts": sum(1 for item in items if item.conflict),
                "replayed": sum(1 for item in items if item.outcome.replayed),
            }
        )


class OfflineListView(CongressScopedMixin, APIView):
    """GET .../checkins/offline-list/?checkpoint=ID: salted token hashes for offline use."""

    permission_classes = [CongressRolePermission]
    congress_roles = SCANNING_ROLES

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        congress = self.get_congress()
        checkpoint_id = request.query_params.get("checkpoint")
        if checkpoint_id:
            if not checkpoint_id.isdigit():
                raise NotFound()
            checkpoint = get_object_or_404(Checkpoint, pk=checkpoint_id, congress=congress)
        else:
            # A GET never writes: before the first scan at the entrance there is none.
            checkpoint = get_object_or_404(
                Checkpoint, congress=congress, kind=Checkpoint.Kind.ENTRANCE
            )
        return Response(offline_token_list(congress=congress, checkpoint=checkpoint))


class CheckpointListView(CongressScopedMixin, generics.ListAPIView):
    """GET .../checkpoints/: checkpoints with today's "inside now" and check-in counts."""

    permission_classes = [CongressRolePermission]
    congress_roles = SCANNING_ROLES
    serializer_class = CheckpointSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no congress
            return Checkpoint.objects.none()
        congress = self.get_congress()
        return checkpoints_with_counts(
            congress=congress, day=congress_day(congress=congress, moment=timezone.now())
        )


class ScanLogView(AuditedListMixin, CongressScopedMixin, generics.ListAPIView):
    """GET .../scans/: the append-only scan log, newest first (organisers)."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)
    serializer_class = ScanLogSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no congress
            return Scan.objects.none()
        return scan_log(congress=self.get_congress())


class ParticipantSearchView(CongressScopedMixin, APIView):
    """GET .../checkins/search/?q=: find people who forgot their badge (name/organisation)."""

    permission_classes = [CongressRolePermission]
    congress_roles = SCANNING_ROLES

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        congress = self.get_congress()
        found = search_registrations(congress=congress, query=request.query_params.get("q", ""))
        results = [registration_for_staff(item) for item in found]
        # Looking someone up at the door is on the record (what was typed is not).
        record_personal_data_access(
            request=request,
            congress=congress,
            kind="list",
            filters=request.query_params,
            count=len(results),
        )
        return Response({"results": results})
