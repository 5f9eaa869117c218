"""Site pages: self-service badge, organiser printing, the scanning page, the scan log."""

import hashlib
import json

from babel.numbers import get_currency_precision
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from badges.exceptions import NoActiveCredential
from badges.forms import LendHeadsetForm, ReturnHeadsetForm, RevocationForm
from badges.labels import reason_labels
from badges.models import BadgeTemplate, Checkpoint
from badges.queries import (
    SORTS,
    badge_rows,
    checkpoints_with_counts,
    congress_day,
    held_revocations,
    scan_log,
    scanner_checkpoints,
    search_registrations,
)
from badges.rehearsal import is_before_congress, is_rehearsal_day
from badges.rendering import MAX_SHEET_MARGIN_MM
from badges.services import (
    lift_revocation,
    render_registration_badge,
    revoke_credentials,
    spooled_congress_badges,
)
from badges.services.headsets import lend_headset, outstanding_loans, return_headset
from badges.services.printing import sheet_margin_for
from common.exceptions import DomainError
from common.formatting import format_money
from common.pdf import qr_svg
from congress.audit import record_personal_data_access
from congress.models import Congress
from congress.permissions import Role, congress_for_request, congresses_for, has_congress_role
from registrations.models import Registration, RegistrationCategory
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


def self_badge_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's badge QR as a page for the phone (no PDF needed). The page's own
    service worker keeps it, so it opens again at the door without the network."""
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    badge = next(
        iter(badge_rows(congress=registration.congress, registration_ids=[registration.pk])), None
    )
    if badge is None:
        return render(request, "badges/no_badge.html", {"registration": registration}, status=404)
    response = render(
        request,
        "badges/self_badge_qr.html",
        {
            "congress": registration.congress,
            "badge": badge,
            "qr": qr_svg(badge.token, title=_("Badge code"), css_class="badge-qr", scale=8),
            "service_worker": reverse("badges:self_badge_sw", kwargs={"token": token}),
            "scope": reverse("badges:self_badge_qr", kwargs={"token": token}),
        },
    )
    # A private page: never stored by shared caches (the service worker keeps its own copy).
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@cache_control(no_cache=True)
def self_badge_service_worker(request: HttpRequest, token: str) -> HttpResponse:
    """Service worker of the badge QR page (scope: that page only). Holds no data itself."""
    return _service_worker(
        request,
        assets=("css/site.css", "badges/badges.css", "badges/self-badge.js"),
        scope=reverse("badges:self_badge_qr", kwargs={"token": token}),
        prefix="badge-page",
    )


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login lands: door staff (check-in role only) go straight to the scanner,
    everyone else to the home page. A `next` parameter on the login still wins."""
    if not request.user.is_superuser and not congresses_for(request.user, Role.ORGANISER).exists():
        if congresses_for(request.user, Role.CHECKIN_STAFF).exists():
            return redirect("badges:checkin")
    return redirect("congress:home")


@login_required
def print_badges(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers: preview with real data, then download all or a filtered selection."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    categories = list(RegistrationCategory.objects.filter(congress=congress))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "surname"
    size = request.GET.get("size") if request.GET.get("size") in BadgeTemplate.Size else None
    category_ids = [int(value) for value in request.GET.getlist("category") if value.isdigit()]
    margin = request.GET.get("margin", "")
    margin = min(int(margin), MAX_SHEET_MARGIN_MM) if margin.isdigit() else None
    if "download" in request.GET or "preview" in request.GET:
        filters = {
            "sort": sort,
            "size": size,
            "category_ids": category_ids or None,
            "sheet_margin_mm": margin,
        }
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
            "margin": margin if margin is not None else sheet_margin_for(congress=congress),
            "max_margin": MAX_SHEET_MARGIN_MM,
        },
    )


def _first_ids(congress: Congress, category_ids: list[int]) -> list[int]:
    from badges.queries import active_credentials

    # As in the download: remote participants (online categories) get no printed badge.
    queryset = active_credentials(congress=congress).exclude(registration__category__is_online=True)
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
    today = congress_day(congress=congress, moment=timezone.now())
    return render(
        request,
        "badges/checkin.html",
        {
            "congress": congress,
            "is_rehearsal": is_rehearsal_day(congress=congress, day=today),
            "is_before_congress": is_before_congress(congress=congress, day=today),
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


@login_required
@require_http_methods(["GET", "POST"])
def revocations_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers: revoke a badge with a reason, and lift a revocation with a reason.

    A revoked badge stays refused by every path (scan, manual check-in, desk mode,
    re-issue) until it is lifted here; both actions are audited.
    """
    congress = congress_for_request(request, slug, Role.ORGANISER)
    if request.method == "POST":
        form = RevocationForm(request.POST)
        if form.is_valid():
            registration = Registration.objects.filter(
                congress=congress, pk=form.cleaned_data["registration"]
            ).first()
            if registration is None:
                raise Http404
            try:
                if request.POST.get("action") == "lift":
                    lift_revocation(
                        registration=registration,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    messages.success(
                        request, _("The revocation was lifted: the badge works again.")
                    )
                else:
                    revoke_credentials(
                        registration=registration,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    messages.success(request, _("The badge was revoked."))
            except DomainError as error:
                messages.error(request, error.message)
            return redirect("badges:revocations", slug=congress.slug)
        messages.error(request, _("Give a reason: it is kept in the audit log."))
    query = request.GET.get("q", "")
    found = search_registrations(congress=congress, query=query) if query else []
    held = held_revocations(congress=congress)
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(held) + len(found)
    )
    return render(
        request,
        "badges/revocations.html",
        {"congress": congress, "held": held, "found": found, "query": query},
    )


# What the scanner page needs to start without the network (the service worker caches them).
SCANNER_ASSETS = (
    "css/site.css",
    "badges/badges.css",
    "badges/sha256.js",
    "badges/checkin.js",
    "badges/scanner-device.js",
    "badges/vendor/jsQR-1.4.0.js",
    "badges/scanner-icon.svg",
)


@require_GET
@cache_control(no_cache=True)
def scanner_service_worker(request: HttpRequest) -> HttpResponse:
    """The scanner's service worker, served under /<lang>/checkin/ so that its scope covers
    the scanner pages. Public: it holds no data, only asset URLs."""
    return _service_worker(
        request, assets=SCANNER_ASSETS, scope=reverse("badges:checkin"), prefix="scanner"
    )


def _service_worker(request, *, assets, scope: str, prefix: str) -> HttpResponse:
    urls = [static(path) for path in assets]
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    return render(
        request,
        "badges/scanner-sw.js",
        {
            "assets": json.dumps(urls),
            "cache_name": f"{prefix}-{version}",
            "cache_prefix": f"{prefix}-",
            "scope": scope,
        },
        content_type="application/javascript",
    )


@require_GET
def scanner_manifest(request: HttpRequest) -> JsonResponse:
    """Web app manifest: door staff can install the scanner on a phone's home screen."""
    return JsonResponse(
        {
            "name": _("Check-in scanner"),
            "short_name": _("Check-in"),
            "start_url": reverse("badges:checkin"),
            "scope": reverse("badges:checkin"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f6f8b",
            "icons": [
                {
                    "src": static("badges/scanner-icon.svg"),
                    "sizes": "any",
                    "type": "image/svg+xml",
                }
            ],
        },
        content_type="application/manifest+json",
    )


@login_required
@require_http_methods(["GET", "POST"])
def headset_desk(request: HttpRequest, slug: str) -> HttpResponse:
    """Interpretation headsets at the desk: lend by badge scan, take back by headset number.
    Organisers also see the headsets still out, with names and phone numbers (audited)."""
    congress = congress_for_request(request, slug, *SCANNING_ROLES)
    lend_form = LendHeadsetForm(request.POST if request.POST.get("action") == "lend" else None)
    return_form = ReturnHeadsetForm(
        request.POST if request.POST.get("action") == "return" else None
    )
    if request.method == "POST":
        try:
            if lend_form.is_bound and lend_form.is_valid():
                deposit = lend_form.cleaned_data["deposit"] or 0
                precision = get_currency_precision(congress.currency)
                loan = lend_headset(
                    congress=congress,
                    token=lend_form.cleaned_data["token"].strip(),
                    headset=lend_form.cleaned_data["headset"],
                    phone=lend_form.cleaned_data["phone"],
                    deposit_minor=int(deposit.scaleb(precision)),
                    actor=request.user,
                )
                messages.success(
                    request, _("Headset %(headset)s lent.") % {"headset": loan.headset}
                )
                return redirect("badges:headsets", slug=congress.slug)
            if return_form.is_bound and return_form.is_valid():
                loan = return_headset(
                    congress=congress,
                    headset=return_form.cleaned_data["headset"],
                    actor=request.user,
                )
                messages.success(
                    request, _("Headset %(headset)s returned.") % {"headset": loan.headset}
                )
                return redirect("badges:headsets", slug=congress.slug)
        except DomainError as error:
            messages.error(request, error.message)
    is_organiser = has_congress_role(request.user, congress, Role.ORGANISER)
    loans = list(outstanding_loans(congress=congress)) if is_organiser else []
    for loan in loans:  # money in major units, with the currency
        loan.deposit_display = (
            format_money(loan.deposit_minor, loan.deposit_currency) if loan.deposit_minor else ""
        )
    if is_organiser:
        record_personal_data_access(
            request=request, congress=congress, kind="list", count=len(loans)
        )
    return render(
        request,
        "badges/headsets.html",
        {
            "congress": congress,
            "lend_form": lend_form,
            "return_form": return_form,
            "loans": loans,
            "is_organiser": is_organiser,
        },
    )
