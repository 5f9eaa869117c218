from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.permissions import CongressRolePermission
from congress.api.views import CongressScopedMixin
from congress.permissions import Role
from messaging import services
from messaging.api.serializers import (
    MailingCreatedSerializer,
    MailingCreateSerializer,
    MailingSerializer,
)
from messaging.audience import Audience
from messaging.forms import scoped_audience
from messaging.models import Mailing


class MailingListCreateView(CongressScopedMixin, APIView):
    """Organisers: send a mailing to an audience of the congress (202: it is being sent)."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)

    @extend_schema(request=MailingCreateSerializer, responses={202: MailingCreatedSerializer})
    def post(self, request, slug: str) -> Response:
        congress = self.get_congress()
        serializer = MailingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        audience = scoped_audience(congress=congress, audience=Audience.from_dict(data["audience"]))
        mailing = services.create_mailing(
            congress=congress,
            audience=audience,
            subjects=data["subject"],
            bodies=data["body"],
            is_about_registration=data["is_about_registration"],
            send_at=data["send_at"],
            actor=request.user,
        )
        body = MailingCreatedSerializer(
            {"id": mailing.pk, "recipient_count": mailing.recipient_count, "status": mailing.status}
        ).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class MailingDetailView(CongressScopedMixin, APIView):
    """Organisers: a mailing's progress, with how many recipients are in each state."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)

    @extend_schema(responses={200: MailingSerializer})
    def get(self, request, slug: str, pk: int) -> Response:
        mailing = get_object_or_404(Mailing, congress=self.get_congress(), pk=pk)
        counts = services.counts_by_state(mailing=mailing)
        return Response(MailingSerializer(mailing, context={"counts": counts}).data)
