from rest_framework import generics
from rest_framework.permissions import AllowAny

from congress.api.serializers import CongressDetailSerializer, CongressListSerializer
from congress.audit import record_personal_data_access
from congress.models import Congress
from congress.permissions import congress_for_request
from congress.queries import congress_with_tracks, published_congresses


class CongressScopedMixin:
    """For API views under /congresses/{slug}/: resolves the congress once per request.

    The congress's pages and its API find it with one function, `congress_for_request`: a
    draft or archived congress answers 404 to anyone but its own staff. Permission classes
    (`congress_roles`) then decide whether this user may act on it, answering 401 or 403 as
    API clients expect: by then the congress is public or the caller is its staff, so that
    answer gives nothing away. Querysets must be scoped to it before any client filter.
    """

    def get_congress(self) -> Congress:
        if getattr(self, "swagger_fake_view", False):
            # OpenAPI generation has no URL kwargs: an unsaved placeholder keeps querysets
            # lazy and role checks negative, so views need no schema special cases.
            return Congress(pk=0, slug="schema", name="schema", status=Congress.Status.PUBLISHED)
        if not hasattr(self, "_congress"):
            self._congress = congress_for_request(self.request, self.kwargs["slug"])
        return self._congress


class AuditedListMixin:
    """For list API views of a congress that show individuals: each page served is recorded
    in the audit log (`record_personal_data_access`, resource: the endpoint's URL name),
    with the client's filters and the number of rows; after the permission check."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        data = response.data
        rows = data.get("results", []) if isinstance(data, dict) else data
        record_personal_data_access(
            request=request,
            congress=self.get_congress(),
            kind="list",
            filters=request.query_params,
            count=len(rows),
        )
        return response


class CongressListView(generics.ListAPIView):
    """Published congresses, most recent first. Public."""

    permission_classes = [AllowAny]
    serializer_class = CongressListSerializer

    def get_queryset(self):
        return published_congresses()


class CongressDetailView(generics.RetrieveAPIView):
    """One published congress with its tracks. Public; a congress's own staff also see it
    while it is a draft or archived (anyone else gets 404)."""

    permission_classes = [AllowAny]
    serializer_class = CongressDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return congress_with_tracks()

    def get_object(self) -> Congress:
        return congress_for_request(
            self.request, self.kwargs["slug"], queryset=congress_with_tracks()
        )
