"""Site pages: self-service badge, organiser printing, the scanning page, the scan log."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from badges.exceptions import NoActiveCredential
from badges.labels import reason_labels
from badges.models import BadgeTemplate, Checkpoint
from badges.queries import (
    SORTS,
    checkpoints_with_counts,
    congress_day,
    scan_log,
    scanner_checkpoints,
)
from badges.services import render_registration_badge, spooled_congress_badges
from congress.audit import record_personal_data_access
from congress.models import Congress
from congress.permissions import Role, congress_for_request, congresses_for
from registrations.models import RegistrationCategory
from registrations.self_service import registration_for_access_token

SCANNING_ROLES = (Role.ORGANISER, Role.CHECKIN_STAFF)


def self_badge(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own badge, from their private self-service link."""
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    try:
        pdf = render_registration_badge(registration=registration)
    except NoActiveCredential:
        return render(request, "badges/no_badge.html", {"registration": registration}, status=404)
    return FileResponse(pdf, content_type="application/pdf", filename="badge.pdf")


@login_required
def print_badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers: preview with real data, then download all or a filtered selection."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    categories = list(RegistrationCategory.objects.filter(congress=congress))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "surname"
    size = request.GET.get("size") if request.GET.get("size") in BadgeTemplate.Size else None
    category_ids = [int(value) for value in request.GET.getlist("category") if value.isdigit()]
    if "download" in request.GET or "preview" in request.GET:
        filters = {"sort": sort, "size": size, "category_ids": category_ids or None}
        if "preview" in request.GET:
            filters["registration_ids"] = _first_ids(congress, category_ids)
        pdf, count = spooled_congress_badges(congress=congress, **filters)
        record_personal_data_access(
            request=request,
            congress=congress,
            kind="badge_pdf",
            filters=request.GET,
            count=count,
            output_format="pdf",
        )
        name = "badges-preview.pdf" if "preview" in request.GET else f"badges-{congress.slug}.pdf"
        return FileResponse(
            pdf,
            content_type="application/pdf",
            filename=name,
            as_attachment="download" in request.GET,
        )
    return render(
        request,
        "badges/print.html",
        {
            "congress": congress,
            "categories": categories,
            "sizes": BadgeTemplate.Size.choices,
            "sort": sort,
        },
    )


def _first_ids(congress: Congress, category_ids: list[int]) -> list[int]:
    from badges.queries import active_credentials

    queryset = active_credentials(congress=congress)
    if category_ids:
        queryset = queryset.filter(registration__category_id__in=category_ids)
    return list(queryset.order_by("registration_id").values_list("registration_id", flat=True)[:8])


@login_required
def checkin_home(request: HttpRequest) -> HttpResponse:
    """Pick the congress to scan for (straight to it when there is only one)."""
    congresses = list(congresses_for(request.user, *SCANNING_ROLES).order_by("-starts_on"))
    if len(congresses) == 1:
        return redirect("badges:checkin_for_congress", slug=congresses[0].slug)
    return render(request, "badges/checkin_home.html", {"congresses": congresses})


@login_required
def checkin_page(request: HttpRequest, slug: str, desk: bool = False) -> HttpResponse:
    """The scanning page (camera, manual search, offline queue); desk mode prints badges.

    Reads only: session checkpoints are kept in step by the programme's `session_saved`
    signal, and the entrance is created by the first scan there (an entrance not made yet
    is offered as the congress entrance, checkpoint None in the API).
    """
    congress = congress_for_request(request, slug, *SCANNING_ROLES)
    checkpoints = list(scanner_checkpoints(congress=congress))
    api = "/api/v1/congresses/" + congress.slug
    return render(
        request,
        "badges/checkin.html",
        {
            "congress": congress,
            "checkpoints": checkpoints,
            "has_entrance": any(item.kind == Checkpoint.Kind.ENTRANCE for item in checkpoints),
            "entrance_label": Checkpoint.Kind.ENTRANCE.label,
            "desk": desk,
            "api_checkin": api + "/checkins/",
            "api_batch": api + "/checkins/batch/",
            "api_offline": api + "/checkins/offline-list/",
            "api_search": api + "/checkins/search/",
            "api_checkpoints": api + "/checkpoints/",
            "badge_url_template": reverse("registration-badge", kwargs={"pk": 0}),
            "reason_labels": reason_labels(),
        },
    )


@login_required
def scan_log_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers: the latest scans and the number of people inside per checkpoint."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    day = congress_day(congress=congress, moment=timezone.now())
    scans = list(scan_log(congress=congress)[:200])
    record_personal_data_access(request=request, congress=congress, kind="list", count=len(scans))
    return render(
        request,
        "badges/scan_log.html",
        {
            "congress": congress,
            "checkpoints": list(checkpoints_with_counts(congress=congress, day=day)),
            "scans": scans,
        },
    )
