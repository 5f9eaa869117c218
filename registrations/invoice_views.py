"""Invoice pages: the participant's invoices (through their private link) and the
organisers' invoice list, settings, downloads and "issue an invoice" action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from congress.audit import record_personal_data_access
from congress.permissions import Role, congress_for_request
from registrations import queries
from registrations.forms import BillingDetailsForm, InvoiceSettingsForm
from registrations.models import BillingDetails, Invoice, Registration, RegistrationGroup
from registrations.self_service import registration_for_access_token
from registrations.services.documents import invoice_pdf
from registrations.services.groups import group_for_access_token
from registrations.services.invoices import (
    invoice_settings_for,
    issue_invoice,
    set_billing_details,
)


def _registration_or_404(token: str) -> Registration:
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    return registration


def _pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice=invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.display_number}.pdf"'
    return response


def _initial_billing(details: BillingDetails | None, default_name: str) -> dict:
    if details is None:
        return {"name": default_name}
    return {
        "name": details.name,
        "address": details.address,
        "country": details.country,
        "vat_number": details.vat_number,
    }


def _save_billing(
    request: HttpRequest,
    form: BillingDetailsForm,
    *,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
) -> None:
    """Save the billing details; unless the payer only saves them ("save" button), issue
    (or bring up to date) the invoice, with a message either way."""
    set_billing_details(registration=registration, group=group, **form.cleaned_data)
    if request.POST.get("action") == "save":
        messages.success(request, _("The billing details were saved."))
        return
    try:
        invoice = issue_invoice(registration=registration, group=group)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Invoice %(number)s is ready.") % {"number": invoice.display_number}
        )


def self_service_invoices(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's billing details, their invoices and credit notes."""
    registration = _registration_or_404(token)
    details = BillingDetails.objects.filter(registration=registration).first()
    form = BillingDetailsForm(
        request.POST or None, initial=_initial_billing(details, registration.person.name)
    )
    if request.method == "POST" and form.is_valid():
        _save_billing(request, form, registration=registration)
        return redirect("registrations:self_service_invoices", token=token)
    return render(
        request,
        "registrations/self_service_invoices.html",
        {
            "registration": registration,
            "token": token,
            "form": form,
            "invoices": queries.invoices_of(registration=registration),
        },
    )


def _group_or_404(token: str) -> RegistrationGroup:
    group = group_for_access_token(token=token)
    if group is None:
        raise Http404
    return group


def group_invoices(request: HttpRequest, token: str) -> HttpResponse:
    """The head of delegation's billing details and the delegation's invoices and credit
    notes (one invoice for the whole delegation, under its GRP- reference)."""
    group = _group_or_404(token)
    details = BillingDetails.objects.filter(group=group).first()
    form = BillingDetailsForm(
        request.POST or None, initial=_initial_billing(details, group.organisation.name)
    )
    if request.method == "POST" and form.is_valid():
        _save_billing(request, form, group=group)
        return redirect("registrations:group_invoices", token=token)
    return render(
        request,
        "registrations/group_invoices.html",
        {
            "group": group,
            "congress": group.congress,
            "token": token,
            "form": form,
            "invoices": queries.invoices_of_group(group=group),
        },
    )


def group_invoice_pdf(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    group = _group_or_404(token)
    invoice = get_object_or_404(Invoice, group=group, pk=pk)
    return _pdf_response(invoice)


def self_service_invoice_pdf(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    registration = _registration_or_404(token)
    invoice = get_object_or_404(Invoice, registration=registration, pk=pk)
    return _pdf_response(invoice)


@login_required
def manage_invoices(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    invoices = list(queries.invoices_for_congress(congress=congress))
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(invoices)
    )
    return render(
        request,
        "registrations/manage_invoices.html",
        {"congress": congress, "invoices": invoices},
    )


@login_required
def manage_invoice_settings(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = InvoiceSettingsForm(
        request.POST or None, instance=invoice_settings_for(congress=congress), congress=congress
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("registrations:manage_invoices", slug=slug)
    return render(
        request,
        "registrations/manage_invoice_settings.html",
        {"congress": congress, "form": form},
    )


@login_required
def manage_invoice_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    invoice = get_object_or_404(
        Invoice.objects.select_related("congress", "credited_invoice"), congress=congress, pk=pk
    )
    response = _pdf_response(invoice)
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="view",
        count=1,
        output_format="pdf",
        target=invoice,
    )
    return response


@login_required
@require_POST
def manage_issue_invoice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    registration = get_object_or_404(Registration, congress=congress, pk=pk)
    try:
        invoice = issue_invoice(registration=registration, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Invoice %(number)s is ready.") % {"number": invoice.display_number}
        )
    return redirect("registrations:manage_detail", slug=slug, pk=pk)
