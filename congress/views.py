from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congress.dashboard import panels_for
from congress.models import Congress
from congress.navigation import Audience, links_for
from congress.permissions import (
    Role,
    congress_for_request,
    congresses_for,
    has_congress_role,
    networks_administered,
)
from congress.queries import congress_with_tracks, published_congresses


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    congresses = list(published_congresses())
    managed = list(congresses_for(request.user).order_by("-starts_on"))
    return render(request, "congress/home.html", {"congresses": congresses, "managed": managed})


def congress_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A draft or archived congress is visible only to its own staff; to anyone else it
    # does not exist.
    congress = congress_for_request(request, slug, queryset=congress_with_tracks())
    links = links_for(audience=Audience.PUBLIC, congress=congress, user=request.user)
    is_staff = has_congress_role(request.user, congress, Role.ORGANISER)
    return render(
        request,
        "congress/detail.html",
        {"congress": congress, "links": links, "is_organiser": is_staff},
    )


@login_required
def congress_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The congress's dashboard: its facts and the panels the apps registered
    (congress.dashboard), each for the roles it names and linking to its page."""
    congress = congress_for_request(
        request,
        slug,
        *Role.values,
        queryset=Congress.objects.select_related("venue", "network").annotate(
            track_total=Count("tracks", distinct=True)
        ),
    )
    panels = panels_for(congress=congress, user=request.user)
    with timezone.override(congress.tzinfo):
        return render(
            request,
            "congress/manage.html",
            {
                "congress": congress,
                "panels": panels,
                "is_organiser": has_congress_role(request.user, congress, Role.ORGANISER),
            },
        )


@login_required
def backoffice(request: HttpRequest) -> HttpResponse:
    """The backoffice's entry page: the congresses the user works on and the networks they
    administer (create a congress, member organisations, network staff)."""
    managed = list(
        congresses_for(request.user, *Role.values)
        .select_related("network")
        .order_by("-starts_on", "name")
    )
    networks = list(networks_administered(request.user).order_by("name"))
    return render(
        request, "congress/backoffice/entry.html", {"managed": managed, "networks": networks}
    )
