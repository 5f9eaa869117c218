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
from registrations.models import BillingDetails, Invoice, Registration
from registrations.self_service import registration_for_access_token
from registrations.services.documents import invoice_pdf
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


def self_service_invoices(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's billing details, their invoices and credit notes."""
    registration = _registration_or_404(token)
    details = BillingDetails.objects.filter(registration=registration).first()
    initial = (
        {
            "name": details.name,
            "address": details.address,
            "country": details.country,
            "vat_number": details.vat_number,
        }
        if details
        else {"name": registration.person.name}
    )
    form = BillingDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            set_billing_details(registration=registration, **form.cleaned_data)
            try:
                invoice = issue_invoice(registration=registration)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("Invoice %(number)s is ready.") % {"number": invoice.display_number},
                )
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
