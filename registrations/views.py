"""Pages: the public registration form, the private self-service page, Stripe return
pages, the public visa-letter check, and the organisers' registration tools."""

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.exports import export_response
from common.formatting import format_money
from common.i18n import localized
from common.ratelimit import Rate, client_ip, hit
from congress.audit import record_personal_data_access
from congress.models import Congress
from congress.permissions import Role, congress_for_request, has_congress_role
from congress.services import grant_congress_role
from members.models import Organisation
from registrations import queries, services
from registrations.forms import (
    AnswersForm,
    BankMappingForm,
    BankStatementForm,
    DelegateForm,
    DelegateFormSet,
    ExportForm,
    GroupForm,
    InvitationForm,
    LostLinkForm,
    MarkPaidForm,
    MoveForm,
    RegistrationForm,
    ResolveLineForm,
    StaffFilterForm,
    VisaApprovalForm,
    VisaOfficerForm,
    VisaRequestForm,
)
from registrations.models import (
    BankImportMapping,
    BankStatementImport,
    BankTransferLine,
    Registration,
    RegistrationCategory,
    RegistrationGroup,
    VisaLetterRequest,
)
from registrations.self_service import registration_for_access_token, self_service_links
from registrations.services import access
from registrations.services.documents import receipt_pdf, visa_letter_pdf
from registrations.services.fees import FEE_REASON_LABELS
from registrations.services.groups import group_for_access_token
from registrations.services.membership import (
    group_for_membership_token,
    registration_for_membership_token,
)
from registrations.services.staff import refund_due
from registrations.services.stripe_payments import InvalidWebhook
from registrations.services.visa import verification_token_for, visa_for_verification

S = Registration.Status
BANK_SUMMARY_LABELS = {
    "matched": gettext_lazy("Matched"),
    "partial": gettext_lazy("Partial payment"),
    "overpaid": gettext_lazy("Over-payment"),
    "unmatched": gettext_lazy("Unmatched"),
    "wrong_currency": gettext_lazy("Wrong currency"),
    "duplicate": gettext_lazy("Already imported"),
    "refused": gettext_lazy("Refused"),
    "debit": gettext_lazy("Money going out (not imported)"),
}


def checkout_return_urls(request: HttpRequest, token: str) -> tuple[str, str]:
    success = reverse("registrations:payment_success", kwargs={"token": token})
    cancel = reverse("registrations:payment_cancelled", kwargs={"token": token})
    return (
        request.build_absolute_uri(success) + "?session_id={CHECKOUT_SESSION_ID}",
        request.build_absolute_uri(cancel),
    )


def _card_enabled() -> bool:
    return services.stripe_is_configured()


# --- public registration -------------------------------------------------------------


def _rate_limited(request: HttpRequest, *, scope: str, setting: str, default: str, key: str = ""):
    """A 429 page when this client (or `key`) went over the limit, else None."""
    rate = Rate.parse(getattr(django_settings, setting, default))
    result = hit(scope=scope, key=key or client_ip(request), rate=rate)
    if result.allowed:
        return None
    response = render(request, "privacy/accounts/rate_limited.html", status=429)
    response["Retry-After"] = str(result.retry_after)
    return response


def register(request: HttpRequest, slug: str, token: str = "") -> HttpResponse:
    """The phone-friendly registration form; errors keep what was typed.

    Hidden categories appear once their access code is typed (or given as ?code=); an
    invitation link opens the form on its one category."""
    congress = congress_for_request(request, slug)
    invitation = token
    if invitation:
        category = access.invitation_category(congress=congress, token=invitation)
        if category is None:
            return render(
                request,
                "registrations/invitation_invalid.html",
                {"congress": congress},
                status=404,
            )
        categories = RegistrationCategory.objects.filter(pk=category.pk)
    else:
        code = (request.POST.get("access_code") or request.GET.get("code") or "")[:40]
        categories = queries.open_categories(
            congress=congress, now=timezone.now(), access_code=code
        )
    form_kwargs = {
        "congress": congress,
        "categories": categories,
        "questions": queries.questions_for(congress=congress),
        "card_enabled": _card_enabled(),
    }
    if request.method == "POST":
        limited = _rate_limited(
            request, scope="register", setting="REGISTRATION_RATE_LIMIT", default="20/3600"
        )
        if limited is not None:
            return limited
        form = RegistrationForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            details = services.RegistrantDetails(
                email=data["email"],
                name=data["name"],
                latin_name=data["latin_name"],
                country=str(data["country"]),
                organisation=data["organisation"],
                organisation_name=data["organisation_name"],
                language=data["language"],
                answers=form.answers(),
                list_visibility=data["list_visibility"],
            )
            try:
                outcome = services.register_participant(
                    congress=congress,
                    category=data["category"],
                    details=details,
                    payment_method=data["payment_method"],
                    voucher_code=data["voucher_code"],
                    access_code=data["access_code"],
                    invitation_token=invitation,
                )
            except DomainError as error:
                field = "voucher_code" if "voucher" in error.code else None
                form.add_error(field, str(error.message))
            else:
                return _after_registration(request, outcome)
    else:
        initial = {"language": request.LANGUAGE_CODE, "access_code": request.GET.get("code", "")}
        form = RegistrationForm(initial=initial, **form_kwargs)
    return render(
        request,
        "registrations/register.html",
        {
            "congress": congress,
            "form": form,
            "has_categories": categories.exists(),
            "invitation": invitation,
        },
    )


def _after_registration(request: HttpRequest, outcome) -> HttpResponse:
    registration = outcome.registration
    if (
        registration.status == S.PENDING_PAYMENT
        and registration.payment_method == Registration.PaymentMethod.CARD
    ):
        success_url, cancel_url = checkout_return_urls(request, outcome.access_token)
        try:
            payment = services.start_checkout(
                registration=registration, success_url=success_url, cancel_url=cancel_url
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            return redirect(payment.checkout_url)
    messages.success(
        request,
        _(
            "Thank you: your registration has been recorded. An e-mail with your private link "
            "is on its way."
        ),
    )
    return redirect("registrations:self_service", token=outcome.access_token)


def fee_quote(request: HttpRequest, slug: str) -> JsonResponse:
    """The fee the form would charge, for the live preview (same service as the charge)."""
    congress = congress_for_request(request, slug)
    category = (
        queries.open_categories(
            congress=congress, now=timezone.now(), access_code=(request.GET.get("code") or "")[:40]
        )
        .filter(pk=request.GET.get("category") or 0)
        .first()
    )
    if category is None:
        return JsonResponse({"amount": "", "reasons": []})
    organisation = Organisation.objects.filter(pk=request.GET.get("organisation") or 0).first()
    try:
        fee = services.quote_fee(
            congress=congress,
            category=category,
            country=(request.GET.get("country") or "")[:2].upper(),
            organisation=organisation,
            voucher_code=(request.GET.get("voucher") or "")[:40],
            email=(request.GET.get("email") or "")[:254],
        )
    except DomainError as error:
        return JsonResponse({"amount": "", "reasons": [], "error": str(error.message)})
    member_amount = ""
    if fee.member_amount_minor is not None:
        member_amount = _("Member rate once your membership is verified: %(amount)s") % {
            "amount": format_money(fee.member_amount_minor, fee.currency)
        }
    return JsonResponse(
        {
            "amount": format_money(fee.amount_minor, fee.currency),
            "reasons": fee.reason_labels,
            "member_amount": member_amount,
        }
    )


def register_group(request: HttpRequest, slug: str) -> HttpResponse:
    """Several delegates of one organisation at once, one payment."""
    congress = congress_for_request(request, slug)
    code = (request.POST.get("access_code") or request.GET.get("code") or "")[:40]
    categories = queries.open_categories(congress=congress, now=timezone.now(), access_code=code)
    kwargs = {"categories": categories, "card_enabled": _card_enabled()}
    delegate_kwargs = {"questions": queries.questions_for(congress=congress)}
    if request.method == "POST":
        limited = _rate_limited(
            request, scope="register", setting="REGISTRATION_RATE_LIMIT", default="20/3600"
        )
        if limited is not None:
            return limited
        form = GroupForm(request.POST, **kwargs)
        formset = DelegateFormSet(request.POST, prefix="delegates", form_kwargs=delegate_kwargs)
        if (
            form.is_valid()
            and formset.is_valid()
            and formset.clean_answers_for(congress=congress, category=form.cleaned_data["category"])
        ):
            data = form.cleaned_data
            delegates = [
                _delegate_details(delegate_form, language=data["language"])
                for delegate_form in formset.forms
                if delegate_form.cleaned_data
            ]
            try:
                result = services.register_group(
                    congress=congress,
                    category=data["category"],
                    organisation=data["organisation"],
                    contact=services.RegistrantDetails(
                        email=data["contact_email"],
                        name=data["contact_name"],
                        language=data["language"],
                    ),
                    delegates=delegates,
                    payment_method=data["payment_method"],
                    voucher_code=data["voucher_code"],
                    access_code=data["access_code"],
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                return _after_group_registration(request, congress, result)
    else:
        form = GroupForm(initial={"language": request.LANGUAGE_CODE}, **kwargs)
        formset = DelegateFormSet(prefix="delegates", form_kwargs=delegate_kwargs)
    return render(
        request,
        "registrations/group.html",
        {"congress": congress, "form": form, "formset": formset},
    )


def _delegate_details(delegate_form, *, language: str) -> services.RegistrantDetails:
    data = delegate_form.cleaned_data
    return services.RegistrantDetails(
        email=data["email"],
        name=data["name"],
        latin_name=data.get("latin_name", ""),
        country=str(data["country"]),
        language=data["language"] or language,
        answers=delegate_form.answers(),
    )


def _after_group_registration(request: HttpRequest, congress: Congress, result) -> HttpResponse:
    """One Stripe Checkout for the whole group when paying by card; otherwise the summary."""
    if result.group.payment_method == Registration.PaymentMethod.CARD and result.amount_due_minor:
        back = request.build_absolute_uri(congress.get_absolute_url())
        try:
            payment = services.start_checkout(group=result.group, success_url=back, cancel_url=back)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            return redirect(payment.checkout_url)
    return redirect("registrations:group_page", token=result.access_token)


# --- self-service --------------------------------------------------------------------


def _registration_or_404(token: str) -> Registration:
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    return registration


def self_service(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    congress = registration.congress
    settings = queries.settings_for(congress=congress)
    questions = queries.questions_for(congress=congress, category=registration.category)
    now = timezone.now()
    links = [
        {"label": link.label, "url": reverse(link.url_name, kwargs={"token": token})}
        for link in self_service_links()
    ]
    visa = VisaLetterRequest.objects.filter(registration=registration).first()
    return render(
        request,
        "registrations/self_service.html",
        {
            "registration": registration,
            "congress": congress,
            "settings": settings,
            "token": token,
            "reasons": [
                str(FEE_REASON_LABELS.get(code, code)) for code in registration.fee_reasons
            ],
            "answers_form": AnswersForm(questions=questions, registration=registration),
            "refund_due": refund_due(registration=registration, settings=settings, now=now),
            "card_enabled": _card_enabled(),
            "has_offer": registration.status == S.WAITLISTED
            and registration.offer_expires_at
            and registration.offer_expires_at > now,
            "visa": visa,
            "links": links,
        },
    )


@require_POST
def self_service_answers(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    questions = queries.questions_for(
        congress=registration.congress, category=registration.category
    )
    form = AnswersForm(request.POST, questions=questions, registration=registration)
    if form.is_valid():
        services.update_answers(
            registration=registration,
            answers=form.answers(),
            list_visibility=form.cleaned_data["list_visibility"],
        )
        messages.success(request, _("Your answers have been saved."))
    else:
        messages.error(request, _("Please correct the answers below."))
    return redirect("registrations:self_service", token=token)


@require_POST
def self_service_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    try:
        services.cancel_registration(registration=registration)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("registrations:self_service", token=token)


@require_POST
def self_service_pay(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    if registration.group_id:
        # The head pays for the delegation under its reference: a delegate paying too would
        # pay twice.
        messages.error(request, _("Your head of delegation pays for the whole delegation."))
        return redirect("registrations:self_service", token=token)
    success_url, cancel_url = checkout_return_urls(request, token)
    try:
        payment = services.start_checkout(
            registration=registration, success_url=success_url, cancel_url=cancel_url
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("registrations:self_service", token=token)
    return redirect(payment.checkout_url)


@require_POST
def self_service_accept_offer(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    try:
        services.accept_waitlist_offer(registration=registration)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You have a seat. Thank you!"))
    return redirect("registrations:self_service", token=token)


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    response = HttpResponse(receipt_pdf(registration=registration), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt-{registration.payment_reference}.pdf"'
    )
    return response


def visa_request(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    visa = VisaLetterRequest.objects.filter(registration=registration).first()
    if request.method == "POST":
        form = VisaRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_visa_letter(registration=registration, passport=form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Your request has been sent to the organisers."))
                return redirect("registrations:self_service", token=token)
    else:
        form = VisaRequestForm()
    return render(
        request,
        "registrations/visa_request.html",
        {"registration": registration, "form": form, "visa": visa, "token": token},
    )


def _visa_letter_response(visa: VisaLetterRequest) -> HttpResponse:
    if visa.status != VisaLetterRequest.Status.APPROVED or visa.purged_at:
        raise Http404
    pdf = visa_letter_pdf(
        visa=visa,
        passport=visa.passport_data,
        token=verification_token_for(visa),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{visa.reference}.pdf"'
    return response


def visa_letter(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    visa = get_object_or_404(VisaLetterRequest, registration=registration)
    return _visa_letter_response(visa)


def visa_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public check of a letter: only the name, the congress dates and the validity."""
    visa = visa_for_verification(token=token)
    is_valid = visa is not None and visa.valid_until >= timezone.localdate()
    return render(
        request,
        "registrations/visa_verify.html",
        {"visa": visa, "is_valid": is_valid},
        status=200 if visa else 404,
    )


# --- Stripe --------------------------------------------------------------------------


def payment_success(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration_or_404(token)
    session_id = request.GET.get("session_id", "")
    if session_id and registration.payments.filter(stripe_checkout_session_id=session_id).exists():
        try:
            services.settle_checkout_session(session_id=session_id)
        except DomainError:
            pass  # the webhook or the reconciliation job will settle it
    messages.success(request, _("Thank you: your payment is being confirmed."))
    return redirect("registrations:self_service", token=token)


def payment_cancelled(request: HttpRequest, token: str) -> HttpResponse:
    _registration_or_404(token)
    messages.info(request, _("The card payment was cancelled. You can try again below."))
    return redirect("registrations:self_service", token=token)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        result = services.handle_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except InvalidWebhook:
        return JsonResponse({"code": "invalid_signature"}, status=400)
    except DomainError as error:
        return JsonResponse({"code": error.code}, status=503)
    return JsonResponse({"result": result})


# --- organisers ----------------------------------------------------------------------


@login_required
def manage_list(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    filter_form = StaffFilterForm(request.GET or None, congress=congress)
    queryset = filter_form.apply(
        queries.registrations_for_staff(congress=congress, include_protected=True)
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="list",
        filters=request.GET,
        count=len(page.object_list),
    )
    return render(
        request,
        "registrations/manage_list.html",
        {
            "congress": congress,
            "filter_form": filter_form,
            "page": page,
            "export_form": ExportForm(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def manage_export(request: HttpRequest, slug: str) -> HttpResponseBase:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    filter_form = StaffFilterForm(request.GET, congress=congress)
    export_form = ExportForm(request.GET)
    if not export_form.is_valid():
        raise Http404
    queryset = filter_form.apply(
        queries.registrations_for_staff(congress=congress, include_protected=True)
    )
    file_format = export_form.cleaned_data["file_format"]
    columns = services.export_columns(export_form.cleaned_data["columns"])
    # Counted before the file streams, so the row is written even if the download stops.
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="export",
        filters=filter_form.filters(),
        count=queryset.count(),
        output_format=file_format,
        columns=columns,
    )
    sheet = services.export_registrations(registrations=queryset, columns=columns)
    return export_response(
        sheets=[sheet], file_format=file_format, filename=f"registrations-{congress.slug}"
    )


@login_required
def manage_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    registration = get_object_or_404(
        queries.registrations_for_staff(congress=congress, include_protected=True), pk=pk
    )
    record_personal_data_access(
        request=request, congress=congress, kind="view", count=1, target=registration
    )
    return render(
        request,
        "registrations/manage_detail.html",
        {
            "congress": congress,
            "registration": registration,
            "move_form": MoveForm(congress=congress),
            "paid_form": MarkPaidForm(currency=registration.currency),
            "payments": registration.payments.order_by("created_at"),
            "invoices": queries.invoices_of(registration=registration),
            "group_invoices": (
                queries.invoices_of_group(group=registration.group) if registration.group_id else []
            ),
        },
    )


@login_required
@require_POST
def manage_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    registration = get_object_or_404(
        Registration.objects.select_related("category", "congress", "person"),
        congress=congress,
        pk=pk,
    )
    done = _("Done.")
    try:
        if action == "approve":
            services.approve_registration(registration=registration, actor=request.user)
        elif action == "reject":
            services.reject_registration(registration=registration, actor=request.user)
        elif action == "cancel":
            services.cancel_registration(registration=registration, actor=request.user)
        elif action == "move":
            form = MoveForm(request.POST, congress=congress)
            if not form.is_valid():
                messages.error(request, " ".join(form.errors["category"]))
                return redirect("registrations:manage_detail", slug=slug, pk=pk)
            done = _moved_message(
                services.move_registration(
                    registration=registration,
                    category=form.cleaned_data["category"],
                    actor=request.user,
                )
            )
        elif action == "verify-membership":
            services.verify_membership(
                registration=registration, via="organiser", actor=request.user
            )
        elif action == "decline-membership":
            services.decline_membership(registration=registration, actor=request.user)
        elif action == "resend-link":
            services.resend_private_link(registration=registration, actor=request.user)
            done = _("A new private link has been e-mailed to the registrant.")
        elif action == "mark-paid":
            form = MarkPaidForm(request.POST, currency=registration.currency)
            if not form.is_valid():
                messages.error(request, " ".join(form.errors["amount"]))
                return redirect("registrations:manage_detail", slug=slug, pk=pk)
            payment = services.mark_transfer_received(
                registration=registration,
                actor=request.user,
                amount_minor=form.cleaned_data["amount"],
            )
            done = _paid_message(payment)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("registrations:manage_detail", slug=slug, pk=pk)


def _paid_message(payment) -> str:
    registration = Registration.objects.get(pk=payment.registration_id)
    return _("Payment of %(amount)s recorded. Status: %(status)s.") % {
        "amount": format_money(payment.amount_minor, payment.currency),
        "status": registration.get_status_display(),
    }


def _moved_message(registration: Registration) -> str:
    category = registration.category
    return _("Moved to “%(category)s”. Status: %(status)s. Fee: %(fee)s.") % {
        "category": localized(category.name, category.name_translations),
        "status": registration.get_status_display(),
        "fee": format_money(registration.amount_due_minor, registration.currency),
    }


@login_required
def manage_bank(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = BankStatementForm(congress=congress)
    if request.method == "POST":
        form = BankStatementForm(request.POST, request.FILES, congress=congress)
        if form.is_valid():
            upload = form.cleaned_data["statement"]
            try:
                with transaction.atomic():
                    statement = services.queue_bank_statement(
                        congress=congress,
                        content=upload.read(),
                        file_name=upload.name,
                        actor=request.user,
                        file_format=form.cleaned_data["file_format"],
                        mapping=form.cleaned_data["mapping"],
                    )
            except DomainError as error:
                form.add_error("statement", str(error.message))
            else:
                return redirect("registrations:manage_bank_import", slug=slug, pk=statement.pk)
    return render(
        request,
        "registrations/manage_bank.html",
        {
            "congress": congress,
            "form": form,
            "imports": queries.recent_bank_imports(congress=congress),
            "lines": queries.bank_lines_to_review(congress=congress),
            "resolve_form": ResolveLineForm(),
        },
    )


@login_required
def manage_bank_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One import's progress (the page reloads itself every 2 s until it is finished)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    statement = get_object_or_404(
        BankStatementImport.objects.defer("content"), congress=congress, pk=pk
    )
    running = statement.state in (
        BankStatementImport.State.QUEUED,
        BankStatementImport.State.RUNNING,
    )
    percent = (
        100 * statement.processed_lines // statement.total_lines if statement.total_lines else 0
    )
    return render(
        request,
        "registrations/manage_bank_import.html",
        {
            "congress": congress,
            "statement": statement,
            "running": running,
            "percent": percent,
            "summary": [
                (BANK_SUMMARY_LABELS[key], statement.summary.get(key, 0))
                for key in BANK_SUMMARY_LABELS
            ],
        },
    )


@login_required
def manage_bank_mappings(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """The congress's banks: how each one writes its CSV statements (create or edit one)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    instance = get_object_or_404(BankImportMapping, congress=congress, pk=pk) if pk else None
    form = BankMappingForm(request.POST or None, instance=instance, congress=congress)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("registrations:manage_bank_mappings", slug=slug)
    return render(
        request,
        "registrations/manage_bank_mappings.html",
        {
            "congress": congress,
            "form": form,
            "editing": instance,
            "mappings": BankImportMapping.objects.filter(congress=congress),
        },
    )


def _payer_for_reference(congress: Congress, reference: str):
    """(registration, group) of this congress with that payment reference, or (None, None)."""
    reference = reference.strip().upper()
    if not reference:
        return None, None
    if reference.startswith("GRP-"):
        group = RegistrationGroup.objects.filter(
            congress=congress, payment_reference=reference
        ).first()
        return None, group
    return (
        Registration.objects.filter(congress=congress, payment_reference=reference).first(),
        None,
    )


@login_required
@require_POST
def manage_bank_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    line = get_object_or_404(BankTransferLine, congress=congress, pk=pk)
    form = ResolveLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reference"]))
        return redirect("registrations:manage_bank", slug=slug)
    reference = form.cleaned_data["reference"]
    registration, group = _payer_for_reference(congress, reference)
    if reference.strip() and registration is None and group is None:
        messages.error(request, _("No registration or delegation has this payment reference."))
        return redirect("registrations:manage_bank", slug=slug)
    services.resolve_bank_line(
        line=line, actor=request.user, registration=registration, group=group
    )
    messages.success(request, _("Done."))
    return redirect("registrations:manage_bank", slug=slug)


@login_required
def manage_visa(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    can_see_passports = has_congress_role(request.user, congress, Role.VISA_OFFICER)
    registration_settings = queries.settings_for(congress=congress)
    visas = queries.visa_requests(congress=congress)
    if not can_see_passports:
        visas = visas.defer("passport_data")  # never read, so never decrypted
    rows = [
        {"visa": visa, "passport": visa.passport_data if can_see_passports else {}}
        for visa in visas
    ]
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="visa_file" if can_see_passports else "list",
        count=len(rows),
    )
    return render(
        request,
        "registrations/manage_visa.html",
        {
            "congress": congress,
            "rows": rows,
            "can_see_passports": can_see_passports,
            "officer_form": VisaOfficerForm(),
            "approval_form": VisaApprovalForm(
                initial={
                    "language": registration_settings.visa_letter_language,
                    "costs_covered": registration_settings.visa_costs_covered,
                }
            ),
        },
    )


@login_required
@require_POST
def manage_visa_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    visa = get_object_or_404(VisaLetterRequest, registration__congress=congress, pk=pk)
    try:
        with transaction.atomic():
            if action == "approve":
                form = VisaApprovalForm(request.POST)
                form.is_valid()  # unknown values fall back to the congress's settings
                services.approve_visa_letter(
                    visa=visa,
                    actor=request.user,
                    language=form.cleaned_data.get("language", ""),
                    costs_covered=form.cleaned_data.get("costs_covered"),
                )
            elif action == "reject":
                services.reject_visa_letter(visa=visa, actor=request.user)
            else:
                raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("registrations:manage_visa", slug=slug)


@login_required
def manage_visa_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The letter as sent to the embassy: it prints passport data, so visa officers only."""
    congress = congress_for_request(request, slug, Role.VISA_OFFICER)
    visa = get_object_or_404(
        VisaLetterRequest.objects.select_related("registration__congress", "registration__person"),
        registration__congress=congress,
        pk=pk,
    )
    response = _visa_letter_response(visa)
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="visa_file",
        count=1,
        output_format="pdf",
        target=visa,
    )
    return response


# --- lost private link, delegations, membership confirmation (issue 13) ------------------


def lost_link(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Send me my private link again": the same answer whether or not the address is known;
    limited per client address and per address asked for."""
    congress = congress_for_request(request, slug)
    form = LostLinkForm(request.POST or None)
    if request.method == "POST":
        limited = _rate_limited(
            request, scope="lost-link", setting="LOST_LINK_RATE_LIMIT", default="5/900"
        )
        if limited is None and form.is_valid():
            email = form.cleaned_data["email"].strip().lower()
            limited = _rate_limited(
                request,
                scope="lost-link-address",
                setting="LOST_LINK_RATE_LIMIT",
                default="5/900",
                key=email,
            )
            if limited is None:
                services.resend_private_links(congress=congress, email=email)
                messages.success(
                    request,
                    _(
                        "If this address is registered for this congress, a new private link "
                        "is on its way to it. Earlier links no longer work."
                    ),
                )
                return redirect("registrations:lost_link", slug=slug)
        if limited is not None:
            return limited
    return render(request, "registrations/lost_link.html", {"congress": congress, "form": form})


def _group_or_404(token: str):
    group = group_for_access_token(token=token)
    if group is None:
        raise Http404
    return group


def group_page(request: HttpRequest, token: str) -> HttpResponse:
    """The head of delegation's private page: delegates, the reference, the total; add a
    delegate (the form posts here)."""
    group = _group_or_404(token)
    questions = queries.questions_for(congress=group.congress, category=group.category)
    form = DelegateForm(request.POST or None, questions=questions, prefix="new")
    if request.method == "POST" and form.is_valid():
        form.clean_answers_for(congress=group.congress, category=group.category)
        if not form.errors:
            try:
                services.add_delegate(
                    group=group, details=_delegate_details(form, language=group.language)
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The delegate has been added."))
                return redirect("registrations:group_page", token=token)
    return render(
        request,
        "registrations/group_page.html",
        {
            "group": group,
            "congress": group.congress,
            "token": token,
            "delegates": queries.delegates_of_group(group=group),
            "amount_due_minor": services.group_amount_due_minor(group=group),
            "settings": queries.settings_for(congress=group.congress),
            "form": form,
        },
    )


def group_delegate(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """Correct a delegate (action "edit") or give their seat to someone else ("replace")."""
    group = _group_or_404(token)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "category"), group=group, pk=pk
    )
    questions = queries.questions_for(congress=group.congress, category=group.category)
    person = registration.person
    initial = {
        "name": person.name,
        "latin_name": person.latin_name,
        "email": person.email,
        "country": person.country.code or "",
        "language": registration.language,
    }
    action = request.POST.get("action", "")
    edit_form = DelegateForm(
        request.POST if action == "edit" else None,
        questions=questions,
        prefix="edit",
        initial=initial,
        answers_initial=registration.answers,
    )
    replace_form = DelegateForm(
        request.POST if action == "replace" else None, questions=questions, prefix="replace"
    )
    form = edit_form if action == "edit" else replace_form
    if request.method == "POST" and action in ("edit", "replace") and form.is_valid():
        form.clean_answers_for(congress=group.congress, category=group.category)
        if not form.errors:
            details = _delegate_details(form, language=group.language)
            try:
                if action == "edit":
                    services.update_delegate(
                        group=group, registration=registration, details=details
                    )
                else:
                    services.replace_delegate(
                        group=group, registration=registration, details=details
                    )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The delegation has been updated."))
                return redirect("registrations:group_page", token=token)
    return render(
        request,
        "registrations/group_delegate.html",
        {
            "group": group,
            "congress": group.congress,
            "token": token,
            "registration": registration,
            "edit_form": edit_form,
            "replace_form": replace_form,
        },
    )


def membership_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's contact confirms (or declines) a registrant from a one-time link."""
    registration = registration_for_membership_token(token=token)
    if registration is None:
        return render(request, "registrations/membership_done.html", {"valid": False}, status=404)
    if request.method == "POST":
        try:
            services.answer_membership_link(
                token=token, confirm=request.POST.get("answer") == "confirm"
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        return render(
            request,
            "registrations/membership_done.html",
            {"valid": True, "confirmed": request.POST.get("answer") == "confirm"},
        )
    return render(
        request,
        "registrations/membership_confirm.html",
        {"registration": registration, "congress": registration.congress},
    )


@login_required
def manage_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers create personal invitation links to hidden or invitation-only categories.

    The link is shown once, right after it is made: only its hash is stored."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = InvitationForm(request.POST or None, congress=congress)
    link = ""
    if request.method == "POST" and form.is_valid():
        _invitation, token = services.create_invitation(
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        link = request.build_absolute_uri(
            reverse("registrations:register_invitation", kwargs={"slug": slug, "token": token})
        )
        form = InvitationForm(congress=congress)
    return render(
        request,
        "registrations/manage_invitations.html",
        {
            "congress": congress,
            "form": form,
            "link": link,
            "invitations": queries.invitations_for(congress=congress),
        },
    )


@login_required
@require_POST
def manage_visa_officer(request: HttpRequest, slug: str) -> HttpResponse:
    """An organiser makes a user account a visa officer of this congress (no admin needed)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = VisaOfficerForm(request.POST)
    user = None
    if form.is_valid():
        user = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"], is_active=True)
            .order_by("pk")
            .first()
        )
    if user is None:
        messages.error(request, _("No active user account has this e-mail address."))
    else:
        grant_congress_role(
            congress=congress, user=user, role=Role.VISA_OFFICER, granted_by=request.user
        )
        messages.success(request, _("This user is now a visa officer of this congress."))
    return redirect("registrations:manage_visa", slug=slug)


def membership_confirm_group(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's contact confirms (or declines) a whole delegation's membership."""
    group = group_for_membership_token(token=token)
    if group is None:
        return render(request, "registrations/membership_done.html", {"valid": False}, status=404)
    if request.method == "POST":
        confirmed = request.POST.get("answer") == "confirm"
        try:
            services.answer_group_membership_link(token=token, confirm=confirmed)
        except DomainError as error:
            messages.error(request, str(error.message))
        return render(
            request,
            "registrations/membership_done.html",
            {"valid": True, "confirmed": confirmed},
        )
    return render(
        request,
        "registrations/membership_confirm_group.html",
        {
            "group": group,
            "congress": group.congress,
            "delegates": queries.delegates_of_group(group=group),
        },
    )
