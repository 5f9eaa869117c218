from rest_framework import generics
from rest_framework.permissions import AllowAny

from congress.api.serializers import CongressDetailSerializer, CongressListSerializer
from congress.models import Congress
from congress.permissions import visible_congress_or_404
from congress.queries import congress_with_tracks, published_congresses


class CongressScopedMixin:
    """For API views under /congresses/{slug}/: resolves the congress once per request.

    The congress's pages and its API share one rule (`can_see_congress`): a draft or
    archived congress answers 404 to anyone but its own staff. Permission classes then
    decide whether this user may act on it, and querysets must be scoped to it before any
    client filter is applied.
    """

    def get_congress(self) -> Congress:
        if getattr(self, "swagger_fake_view", False):
            # OpenAPI generation has no URL kwargs: an unsaved placeholder keeps querysets
            # lazy and role checks negative, so views need no schema special cases.
            return Congress(pk=0, slug="schema", name="schema", status=Congress.Status.PUBLISHED)
        if not hasattr(self, "_congress"):
            self._congress = visible_congress_or_404(self.request.user, self.kwargs["slug"])
        return self._congress


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
        return visible_congress_or_404(
            self.request.user, self.kwargs["slug"], queryset=congress_with_tracks()
        )
