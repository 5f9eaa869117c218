"""Organiser pages of attendance, the public certificate check and the self-service download.

Views parse, check permission, call one service or query, and render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from attendance import certificates, exports, online, services
from attendance.certificate_rules import CertificateRule, preview_certificates
from attendance.charts import paired_bar_chart, trend_chart
from attendance.closing import close_after_last_day, closing_preview, may_close, reopen_congress
from attendance.engagement import network_engagement
from attendance.exceptions import CongressNotClosed, NotAnOnlineSession
from attendance.forms import CertificateRuleForm
from attendance.models import AttendanceClosure, Certificate
from attendance.queries import attendance_report, people_rows
from common.exceptions import DomainError
from common.exports import CSV, export_response
from congress.audit import record_personal_data_access
from congress.permissions import Role, congress_for_request, congresses_for, has_congress_role
from members.models import Network
from registrations.self_service import registration_for_access_token

REPORT_ROLES = (Role.ORGANISER, Role.CHECKIN_STAFF)


@login_required
def attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """Live or final attendance: tables and charts. People list for organisers only."""
    congress = congress_for_request(request, slug, *REPORT_ROLES)
    report = attendance_report(congress=congress)
    is_organiser = has_congress_role(request.user, congress, Role.ORGANISER)
    registered, checked_in = gettext("Registered on site"), gettext("Checked in")
    charts = {
        name: paired_bar_chart(
            title=title,
            rows=[
                (row.label or gettext("None"), row.registered_on_site, row.checked_in)
                for row in rows
            ],
            first_label=registered,
            second_label=checked_in,
        )
        for name, title, rows in (
            ("days", gettext("Per day"), report.days),
            ("categories", gettext("Per category"), report.categories),
            ("countries", gettext("Per country"), report.countries),
        )
    }
    charts["sessions"] = paired_bar_chart(
        title=gettext("Per session"),
        rows=[(str(row.session.title), row.signed_up, row.attended) for row in report.sessions],
        first_label=gettext("Signed up"),
        second_label=gettext("Attended"),
    )
    closure = AttendanceClosure.objects.filter(congress=congress).first()
    people = []
    if is_organiser:
        people = people_rows(report=report, include_hidden=True)
        record_personal_data_access(
            request=request, congress=congress, kind="list", count=len(people)
        )
    return render(
        request,
        "attendance/attendance.html",
        {
            "congress": congress,
            "report": report,
            "charts": charts,
            "closure": closure,
            "is_organiser": is_organiser,
            "people": people,
        },
    )


@login_required
def attendance_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    response = HttpResponse(
        exports.report_pdf(attendance_report(congress=congress)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="attendance-{congress.slug}.pdf"'
    return response


@login_required
def people_csv(request: HttpRequest, slug: str) -> HttpResponseBase:
    """Personal data export (organisers): every registrant, protected ones included; audited."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    rows = exports.people_dicts(
        people_rows(report=attendance_report(congress=congress), include_hidden=True)
    )
    record_personal_data_access(
        request=request, congress=congress, kind="export", count=len(rows), output_format=CSV
    )
    return export_response(
        sheets=[exports.sheet("people", exports.PEOPLE_COLUMNS, rows)],
        file_format=CSV,
        filename=f"people-{congress.slug}",
        byte_order_mark=False,  # the same file as the API's ?format=csv&detail=people
    )


@login_required
def close(request: HttpRequest, slug: str) -> HttpResponse:
    """Closing asks for confirmation: GET previews what it will write; POST (with the box
    ticked) closes, refused before the congress's last day."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    closure = AttendanceClosure.objects.filter(congress=congress).first()
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = gettext("Tick the box to confirm that you want to close the congress.")
        else:
            try:
                result = close_after_last_day(congress=congress, actor=request.user)
            except DomainError as domain_error:
                error = str(domain_error)
            else:
                messages.success(
                    request,
                    gettext(
                        "Attendance closed: %(present)d of %(people)d people present, "
                        "%(organisations)d organisations recorded."
                    )
                    % {
                        "present": result.present,
                        "people": result.people,
                        "organisations": result.organisations,
                    },
                )
                return redirect("attendance:attendance", slug=congress.slug)
    with timezone.override(congress.tzinfo):
        return render(
            request,
            "attendance/close.html",
            {
                "congress": congress,
                "closure": closure,
                "preview": closing_preview(congress=congress),
                "may_close": may_close(congress),
                "error": error,
            },
            status=400 if error else 200,
        )


@login_required
@require_POST
def reopen(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    if reopen_congress(congress=congress, actor=request.user):
        messages.success(
            request,
            gettext("The congress is open again. Closing it again replaces the figures it wrote."),
        )
    return redirect("attendance:close", slug=congress.slug)


@login_required
def certificate_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The certificate rule (with a preview of how many people qualify) and the "issue
    certificates" button."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    closure, _created = AttendanceClosure.objects.get_or_create(congress=congress)
    initial = {
        "rule": closure.certificate_rule,
        "days": closure.certificate_min_days,
        "hours": closure.certificate_threshold_minutes / 60,
        "plenary_rule": closure.plenary_rule,
    }
    action = request.POST.get("action")
    form = CertificateRuleForm(
        request.POST if action in ("rule", "preview") else None, initial=initial
    )
    preview = None
    if action == "preview" and form.is_valid():
        # Reads only: the figures this rule would give, nothing saved.
        preview = preview_certificates(
            congress=congress,
            rule=_rule_from(form.cleaned_data),
            plenary_rule=form.cleaned_data["plenary_rule"] or closure.plenary_rule,
        )
    elif request.method == "POST":
        if request.POST.get("action") == "rule" and form.is_valid():
            rule = _rule_from(form.cleaned_data)
            services.set_certificate_rule(
                congress=congress,
                rule=rule.rule,
                minutes=rule.minutes,
                days=rule.days,
                plenary_rule=form.cleaned_data["plenary_rule"] or closure.plenary_rule,
                actor=request.user,
            )
            messages.success(request, gettext("The certificate rule was saved."))
            return redirect("attendance:certificates", slug=congress.slug)
        if request.POST.get("action") == "issue":
            try:
                count = services.issue_certificates(congress=congress, actor=request.user)
            except CongressNotClosed as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    gettext("%(count)d certificates are valid.") % {"count": count},
                )
            return redirect("attendance:certificates", slug=congress.slug)
    counts = Certificate.objects.filter(congress=congress).aggregate(
        valid=Count("id", filter=Q(revoked_at__isnull=True)), total=Count("id")
    )
    return render(
        request,
        "attendance/certificates.html",
        {
            "congress": congress,
            "closure": closure,
            "form": form,
            "counts": counts,
            "preview": preview,
        },
    )


def _rule_from(values: dict) -> CertificateRule:
    return CertificateRule(
        rule=values["rule"], minutes=int(values["hours"] * 60), days=values["days"]
    )


def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whoever holds the code (printed as a QR) sees who attended what."""
    certificate = certificates.certificate_for_code(code=code)
    status = 200 if certificate is not None else 404
    context = {"certificate": certificate}
    if certificate is not None:
        context["tracks"] = certificates.track_lines(certificate)
        context["hours"] = certificates.format_hours(certificate.attended_minutes)
        registration = certificate.registration
        context["name"] = (
            registration.badge_display_name
            if registration.is_protected and registration.badge_display_name
            else registration.person.name
        )
    return render(request, "attendance/verify.html", context, status=status)


def my_certificate(request: HttpRequest, token: str) -> HttpResponse:
    """Self-service: the participant's own certificate, through their private link."""
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    certificate = (
        Certificate.objects.select_related("congress", "registration__person")
        .filter(registration=registration, revoked_at__isnull=True)
        .first()
    )
    if certificate is None:
        # The self-service page lists this link for everyone (its links cannot be
        # conditional), so "none yet" is a normal answer, in the page's language, not a 404.
        return render(request, "attendance/no_certificate.html", {"registration": registration})
    pdf = certificates.render_certificate_pdf(
        certificate=certificate, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def online_participation(request: HttpRequest, token: str) -> HttpResponse:
    """Self-service: the sessions a confirmed participant can follow online, with their
    stream links. Joining here records online attendance, then opens the stream; "I have
    left" closes the visit."""
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        session_id = request.POST.get("session", "")
        if not session_id.isdigit():
            raise Http404
        if request.POST.get("action") == "leave":
            online.leave_online_session(registration=registration, session_id=int(session_id))
            return redirect("attendance:online", token=token)
        try:
            _visit, session = online.join_online_session(
                registration=registration, session_id=int(session_id)
            )
        except NotAnOnlineSession:
            raise Http404 from None
        # A page, not a redirect: the CSP's form-action keeps form posts on this site, so
        # the stream (another site) opens from a link on this page.
        return render(
            request,
            "attendance/online_joined.html",
            {"congress": registration.congress, "session": session, "token": token},
        )
    sessions = list(online.online_sessions(registration=registration))
    open_ids = set(
        registration.online_visits.filter(left_at__isnull=True).values_list("session_id", flat=True)
    )
    response = render(
        request,
        "attendance/online.html",
        {
            "registration": registration,
            "congress": registration.congress,
            "sessions": [(session, session.pk in open_ids) for session in sessions],
        },
    )
    response["Cache-Control"] = "private, no-store"  # stream links are for this person
    return response


@login_required
def congress_engagement(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    if congress.network is None:
        raise Http404
    return redirect("attendance:engagement", slug=congress.network.slug)


@login_required
def engagement(request: HttpRequest, slug: str) -> HttpResponse:
    """A network's engagement figures; for organisers of one of its congresses."""
    network = get_object_or_404(Network, slug=slug)
    if not congresses_for(request.user, Role.ORGANISER).filter(network=network).exists():
        raise Http404
    figures = network_engagement(network=network)
    chart = trend_chart(
        title=gettext("Member organisations that took part, per congress"),
        points=[
            (label, item.share)
            for label, item in zip(
                _chart_labels([item.congress.starts_on for item in figures.congresses]),
                figures.congresses,
                strict=True,
            )
        ],
    )
    return render(
        request,
        "attendance/engagement.html",
        {"network": network, "figures": figures, "chart": chart},
    )


def _chart_labels(starts: list[datetime.date]) -> list[str]:
    """Short chart labels: the year, or month and year when a year has two congresses.

    Congress names are long ("7th World Congress against the Death Penalty, Brussels") and
    would overlap under the points; the table below the chart gives them in full.
    """
    years = [start.year for start in starts]
    return [
        date_format(start, "YEAR_MONTH_FORMAT") if years.count(start.year) > 1 else str(start.year)
        for start in starts
    ]
