from django.db.models import Prefetch, QuerySet

from congress.models import Congress, Track


def published_congresses() -> QuerySet[Congress]:
    return (
        Congress.objects.filter(status=Congress.Status.PUBLISHED)
        .select_related("venue", "organiser", "network")
        .order_by("-starts_on", "name")
    )


def congress_with_tracks(queryset: QuerySet[Congress] | None = None) -> QuerySet[Congress]:
    queryset = queryset if queryset is not None else Congress.objects.all()
    return queryset.select_related("venue", "organiser", "network").prefetch_related(
        Prefetch("tracks", queryset=Track.objects.order_by("position", "name"))
    )
