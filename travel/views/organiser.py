"""Organiser pages of travel support: applications and the committee, donor budgets,
accommodation, airport transfers and the donor report. Organisers of the congress only;
every page or export that shows individuals is audited."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.exports import CSV, XLSX, export_response
from congress.audit import record_personal_data_access
from congress.permissions import Role, congress_for_request, has_congress_role
from registrations.models import Registration
from travel import exports, queries, services
from travel.forms import (
    AllocateForm,
    AwardForm,
    BudgetLineForm,
    ClaimDecisionForm,
    DonorForm,
    GrantQuestionForm,
    GrantSettingsForm,
    HotelForm,
    PaidForm,
    RefuseForm,
    ReviewForm,
    RoomTypeForm,
)
from travel.models import (
    AccommodationRequest,
    BudgetLine,
    GrantApplication,
    GrantProgramme,
    GrantQuestion,
    GrantReview,
    Hotel,
    Reimbursement,
    RoomType,
)


def _congress(request: HttpRequest, slug: str):
    return congress_for_request(request, slug, Role.ORGANISER)


# Applications and the committee ---------------------------------------------------------------


@login_required
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    status = request.GET.get("status", "")
    if status not in GrantApplication.Status.values:
        status = ""
    rows = list(queries.applications_for_committee(congress=congress, status=status))
    money, _by_donor = queries.money_by_application_and_donor(congress=congress)
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(rows), filters=request.GET
    )
    return render(
        request,
        "travel/applications.html",
        {
            "congress": congress,
            "applications": [(application, money.get(application.pk)) for application in rows],
            "statuses": GrantApplication.Status.choices,
            "status": status,
        },
    )


def _application(congress, pk: int) -> GrantApplication:
    return get_object_or_404(
        GrantApplication.objects.select_related(
            "registration__person", "registration__category", "congress"
        ).prefetch_related("items"),
        congress=congress,
        pk=pk,
    )


@login_required
def application_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = _congress(request, slug)
    application = _application(congress, pk)
    lines = list(queries.budget_lines_with_spending(congress=congress))
    own_review = GrantReview.objects.filter(application=application, reviewer=request.user).first()
    forms = {
        "review": ReviewForm(
            initial={"score": own_review.score, "note": own_review.note} if own_review else None
        ),
        "award": AwardForm(lines=lines),
        "refuse": RefuseForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _DECISIONS:
            raise Http404
        form, done = _DECISIONS[action](request, application, lines)
        if done:
            return redirect(request.path)
        forms[action] = form
    awards = list(application.awards.select_related("budget_line__donor"))
    claims = list(
        Reimbursement.objects.filter(award__application=application).select_related(
            "award__budget_line"
        )
    )
    record_personal_data_access(
        request=request, congress=congress, kind="view", target=application.registration
    )
    questions = {
        str(question.pk): question for question in GrantQuestion.objects.filter(congress=congress)
    }
    return render(
        request,
        "travel/application_detail.html",
        {
            "congress": congress,
            "application": application,
            "answers": [
                (questions[key], value)
                for key, value in application.answers.items()
                if key in questions
            ],
            "reviews": list(application.reviews.select_related("reviewer")),
            "awards": awards,
            "claims": [
                (claim, ClaimDecisionForm(currency=claim.award.budget_line.currency), PaidForm())
                for claim in claims
            ],
            "lines": lines,
            "forms": forms,
        },
    )


def _review(request, application, lines):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return form, False
    services.review_application(
        application=application,
        reviewer=request.user,
        score=form.cleaned_data["score"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, gettext("Your score was saved."))
    return form, True


def _award(request, application, lines):
    form = AwardForm(request.POST, lines=lines)
    if not form.is_valid():
        return form, False
    try:
        services.award_grant(
            application=application,
            lines=[
                services.AwardLine(budget_line=line, cost_type=cost_type, amount_minor=amount)
                for line, cost_type, amount in form.cleaned_data["awards"]
            ],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return form, False
    messages.success(request, gettext("The grant was awarded and the award letter sent."))
    return form, True


def _refuse(request, application, lines):
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return form, False
    try:
        services.refuse_application(
            application=application, actor=request.user, note=form.cleaned_data["note"]
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return form, False
    messages.success(request, gettext("The application was refused and the applicant told."))
    return form, True


_DECISIONS = {"review": _review, "award": _award, "refuse": _refuse}


def _claim(congress, pk: int) -> Reimbursement:
    return get_object_or_404(
        Reimbursement.objects.select_related("award__budget_line", "award__application__congress"),
        award__application__congress=congress,
        pk=pk,
    )


@login_required
@require_POST
def claim_decision(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = _congress(request, slug)
    claim = _claim(congress, pk)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            form = ClaimDecisionForm(request.POST, currency=claim.award.budget_line.currency)
            if form.is_valid() and form.cleaned_data["approved"]:
                services.approve_reimbursement(
                    reimbursement=claim,
                    approved_minor=form.cleaned_data["approved"],
                    actor=request.user,
                )
                messages.success(request, gettext("The claim was approved."))
            else:
                messages.error(
                    request,
                    " ".join(form.errors.get("approved", [gettext("Enter the approved amount.")])),
                )
        elif action == "reject":
            services.reject_reimbursement(reimbursement=claim, actor=request.user)
            messages.success(request, gettext("The claim was rejected."))
        elif action == "paid":
            form = PaidForm(request.POST)
            if form.is_valid():
                services.mark_reimbursement_paid(
                    reimbursement=claim,
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                    actor=request.user,
                )
                messages.success(request, gettext("The payment was recorded."))
            else:
                messages.error(request, gettext("Enter the date and how it was paid."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("travel:application", slug=congress.slug, pk=claim.award.application_id)


@login_required
def claim_receipt(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    congress = _congress(request, slug)
    claim = _claim(congress, pk)
    if not claim.receipt:
        raise Http404
    record_personal_data_access(
        request=request, congress=congress, kind="view", target=claim.award.application.registration
    )
    extension = claim.receipt.name.rsplit(".", 1)[-1]
    return FileResponse(
        claim.receipt.open("rb"),
        content_type=claim.receipt_content_type,
        as_attachment=True,
        filename=f"receipt-{claim.pk}.{extension}",
    )


@login_required
def grant_settings(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    programme = GrantProgramme.objects.filter(congress=congress).first()
    initial = (
        {
            "is_open": programme.is_open,
            "deadline": programme.deadline,
            "introduction": programme.introduction_translations,
        }
        if programme
        else None
    )
    form = GrantSettingsForm(congress=congress, initial=initial)
    question_form = GrantQuestionForm(congress=congress)
    if request.method == "POST" and request.POST.get("action") == "settings":
        form = GrantSettingsForm(request.POST, congress=congress)
        if form.is_valid():
            services.save_grant_settings(congress=congress, actor=request.user, **form.cleaned_data)
            messages.success(request, gettext("The travel grant settings were saved."))
            return redirect(request.path)
    elif request.method == "POST" and request.POST.get("action") == "question":
        question_form = GrantQuestionForm(request.POST, congress=congress)
        if question_form.is_valid():
            texts = question_form.cleaned_data["label"]
            GrantQuestion.objects.create(
                congress=congress,
                label=texts[(congress.working_languages or ["en"])[0]],
                label_translations=texts,
                is_required=question_form.cleaned_data["is_required"],
                position=GrantQuestion.objects.filter(congress=congress).count(),
            )
            return redirect(request.path)
    elif request.method == "POST" and request.POST.get("action") == "delete_question":
        GrantQuestion.objects.filter(congress=congress, pk=request.POST.get("question")).delete()
        return redirect(request.path)
    return render(
        request,
        "travel/settings.html",
        {
            "congress": congress,
            "form": form,
            "question_form": question_form,
            "questions": GrantQuestion.objects.filter(congress=congress),
        },
    )


# Donor budgets --------------------------------------------------------------------------------


@login_required
def budgets(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    donor_form = DonorForm()
    line_form = BudgetLineForm(congress=congress)
    if request.method == "POST" and request.POST.get("action") == "donor":
        donor_form = DonorForm(request.POST)
        donor_form.instance.congress = congress
        if donor_form.is_valid():
            donor_form.save()
            return redirect(request.path)
    elif request.method == "POST" and request.POST.get("action") == "line":
        line_form = BudgetLineForm(request.POST, congress=congress)
        if line_form.is_valid() and line_form.cleaned_data.get("total_minor") is not None:
            data = line_form.cleaned_data
            line = BudgetLine.objects.create(
                donor=data["donor"],
                name=data["name"],
                currency=data["currency"],
                total_minor=data["total_minor"],
                regions=data["regions"],
                cost_types=data["cost_types"],
            )
            line.categories.set(data["categories"])
            return redirect(request.path)
    _by_application, by_donor = queries.money_by_application_and_donor(congress=congress)
    return render(
        request,
        "travel/budgets.html",
        {
            "congress": congress,
            "lines": queries.budget_lines_with_spending(congress=congress),
            "owed_by_donor": by_donor,
            "donors": congress.donors.all(),
            "donor_form": donor_form,
            "line_form": line_form,
        },
    )


# Accommodation --------------------------------------------------------------------------------


@login_required
def accommodation(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    requests = list(
        AccommodationRequest.objects.filter(registration__congress=congress)
        .exclude(
            registration__status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED]
        )
        .select_related("registration__person", "registration__room__allocation__room_type__hotel")
        .order_by("registration__person__name", "pk")
    )
    room_types = RoomType.objects.filter(hotel__congress=congress).select_related("hotel")
    waiting = [request_ for request_ in requests if not hasattr(request_.registration, "room")]
    forms = {
        "hotel": HotelForm(),
        "room_type": RoomTypeForm(congress=congress),
        "allocate": AllocateForm(requests=waiting, room_types=room_types),
    }
    if request.method == "POST":
        done, form_name, form = _accommodation_action(request, congress, waiting, room_types)
        if done:
            return redirect(request.path)
        if form_name:
            forms[form_name] = form
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(requests)
    )
    return render(
        request,
        "travel/accommodation.html",
        {
            "congress": congress,
            "requests": requests,
            "hotels": congress.hotels.prefetch_related("room_types"),
            "forms": forms,
        },
    )


def _accommodation_action(request, congress, waiting, room_types):
    action = request.POST.get("action", "")
    if action == "hotel":
        form = HotelForm(request.POST)
        form.instance.congress = congress
        if form.is_valid():
            form.save()
            return True, "", None
        return False, "hotel", form
    if action == "room_type":
        form = RoomTypeForm(request.POST, congress=congress)
        if form.is_valid():
            form.save()
            return True, "", None
        return False, "room_type", form
    if action == "allocate":
        form = AllocateForm(request.POST, requests=waiting, room_types=room_types)
        if not form.is_valid():
            return False, "allocate", form
        chosen = [r for r in waiting if str(r.registration_id) in form.cleaned_data["people"]]
        try:
            services.allocate_room(
                room_type=form.cleaned_data["room_type"],
                registrations=[r.registration for r in chosen],
                first_night=min(r.first_night for r in chosen),
                last_night=max(r.last_night for r in chosen),
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return False, "allocate", form
        return True, "", None
    if action == "auto":
        result = services.auto_allocate_rooms(congress=congress, actor=request.user)
        messages.success(
            request,
            gettext("%(allocated)s people were given a room; %(unplaced)s are still waiting.")
            % {"allocated": result.allocated, "unplaced": result.unplaced},
        )
        return True, "", None
    if action == "release":
        registration = get_object_or_404(
            Registration, congress=congress, pk=request.POST.get("registration")
        )
        services.release_room(registration=registration, actor=request.user)
        return True, "", None
    raise Http404


@login_required
def rooming_list(request: HttpRequest, slug: str, hotel: int, file_format: str) -> HttpResponse:
    congress = _congress(request, slug)
    if file_format not in (XLSX, "pdf"):
        raise Http404
    hotel_object = get_object_or_404(Hotel, congress=congress, pk=hotel)
    rows = queries.rooming_list(hotel=hotel_object)
    sheet = exports.rooming_sheet(
        hotel_name=hotel_object.name, rows=rows, currency=congress.currency
    )
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="export",
        count=sum(len(row.occupants) for row in rows),
        output_format=file_format,
    )
    if file_format == "pdf":
        title = gettext("Rooming list: %(hotel)s") % {"hotel": hotel_object.name}
        response = HttpResponse(
            exports.sheet_pdf(title=title, sheets=[sheet]), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="rooming-{hotel_object.pk}.pdf"'
        return response
    return export_response(sheets=[sheet], file_format=XLSX, filename=f"rooming-{hotel_object.pk}")


# Transfers ------------------------------------------------------------------------------------


def _day(request: HttpRequest, congress) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return congress.starts_on - datetime.timedelta(days=1)


@login_required
def transfers(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    day = _day(request, congress)
    rows = queries.manifest(congress=congress, day=day)
    record_personal_data_access(request=request, congress=congress, kind="list", count=len(rows))
    first = congress.starts_on - datetime.timedelta(days=3)
    days = [
        first + datetime.timedelta(days=offset)
        for offset in range((congress.ends_on - first).days + 4)
    ]
    return render(
        request,
        "travel/transfers.html",
        {"congress": congress, "rows": rows, "day": day, "days": days},
    )


@login_required
def manifest_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    congress = _congress(request, slug)
    day = _day(request, congress)
    rows = queries.manifest(congress=congress, day=day)
    record_personal_data_access(
        request=request, congress=congress, kind="export", count=len(rows), output_format=XLSX
    )
    services.record_manifest_export(congress=congress, day=day, now=timezone.now())
    response = HttpResponse(
        exports.manifest_xlsx(rows=rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="transfers-{day.isoformat()}.xlsx"'
    return response


# Donor report ---------------------------------------------------------------------------------


@login_required
def donor_report(request: HttpRequest, slug: str, file_format: str = "") -> HttpResponse:
    congress = _congress(request, slug)
    if file_format not in ("", CSV, XLSX, "pdf"):
        raise Http404
    show_protected = has_congress_role(request.user, congress, Role.DATA_PROTECTION)
    sections = queries.donor_report(congress=congress, show_protected=show_protected)
    named = sum(len(section.people) for section in sections)
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="export" if file_format else "list",
        count=named,
        output_format=file_format,
    )
    if file_format in (CSV, XLSX):
        sheets = exports.donor_sheets(sections=sections)
        return export_response(
            sheets=sheets if file_format == XLSX else sheets[:1],
            file_format=file_format,
            filename=f"donor-report-{congress.slug}",
        )
    if file_format == "pdf":
        title = gettext("Donor report")
        response = HttpResponse(
            exports.sheet_pdf(title=title, sheets=exports.donor_sheets(sections=sections)),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="donor-report-{congress.slug}.pdf"'
        return response
    return render(
        request,
        "travel/donor_report.html",
        {"congress": congress, "sections": sections, "show_protected": show_protected},
    )
