"""Registration settings pages: categories, country groups, fees with their live matrix,
vouchers, bank details and letters, registration questions (the form builder).

Lists, delete and reorder go through `congress.settings_pages`; fees, letters and questions
have their own views below. All of them: organisers of this congress only, every query scoped
to it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exceptions import DomainError
from common.formatting import format_money
from common.i18n import localized
from congress.models import Congress
from congress.permissions import Role, congress_for_request
from congress.settings_forms import apply_choices, question_builder
from congress.settings_pages import Column, SettingsPage
from congress.settings_services import (
    delete_settings_object,
    save_settings_object,
    unique_code,
)
from registrations.forms import _question_field
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    RegistrationCategory,
    Voucher,
)
from registrations.queries import settings_for
from registrations.services.fee_matrix import fee_matrix, with_rule
from registrations.settings_forms import (
    CategoryForm,
    CountryGroupForm,
    FeeRuleForm,
    LettersForm,
    QuestionForm,
    VoucherForm,
)


def _local(value, congress: Congress) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value, congress.tzinfo), "DATETIME_FORMAT")


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# --- categories -------------------------------------------------------------------------------


def _categories(congress: Congress):
    return (
        RegistrationCategory.objects.filter(congress=congress)
        .select_related("congress")
        .annotate(fee_total=Count("fee_rules"))
        .order_by("position", "pk")
    )


def _set_code(field: str, fallback: str):
    def prepare(instance, congress: Congress, form) -> None:
        if not getattr(instance, field):
            text = getattr(instance, "name", "") or getattr(instance, "label", "")
            setattr(
                instance,
                field,
                unique_code(
                    queryset=type(instance).objects.filter(congress=congress),
                    field=field,
                    text=text,
                    fallback=fallback,
                ),
            )

    return prepare


def _fees_link(category: RegistrationCategory):
    url = reverse(
        "registration_settings:fees",
        kwargs={"slug": category.congress.slug, "category_pk": category.pk},
    )
    return format_html(
        '<a href="{}">{}</a>',
        url,
        _("Fees (%(count)s)") % {"count": category.fee_total},
    )


CATEGORIES = SettingsPage(
    name="categories",
    app="registration_settings",
    model=RegistrationCategory,
    form_class=CategoryForm,
    queryset=_categories,
    title=gettext_lazy("Registration categories"),
    add_label=gettext_lazy("Add a category"),
    intro=gettext_lazy(
        "Who can register (participants, delegates, press...), how many, and when. Times are "
        "in the congress's time zone. Each category's fees are on its own page."
    ),
    columns=(
        Column(gettext_lazy("Name"), lambda item: localized(item.name, item.name_translations)),
        Column(gettext_lazy("Kind"), lambda item: item.get_kind_display()),
        Column(
            gettext_lazy("Capacity"),
            lambda item: item.capacity if item.capacity is not None else _("Unlimited"),
        ),
        Column(gettext_lazy("Requires approval"), lambda item: _yes_no(item.requires_approval)),
        Column(gettext_lazy("Opens"), lambda item: _local(item.opens_at, item.congress)),
        Column(gettext_lazy("Closes"), lambda item: _local(item.closes_at, item.congress)),
        Column(gettext_lazy("Fees"), _fees_link),
    ),
    form_kwargs=lambda congress: {"congress": congress},
    prepare=_set_code("code", "category"),
    sortable=True,
)


# --- country groups ---------------------------------------------------------------------------


def _country_names(group: CountryGroup) -> str:
    from django_countries import countries

    names = sorted(str(countries.name(code)) for code in group.countries or [])
    return ", ".join(names) if names else "—"


COUNTRY_GROUPS = SettingsPage(
    name="country_groups",
    app="registration_settings",
    model=CountryGroup,
    form_class=CountryGroupForm,
    queryset=lambda congress: CountryGroup.objects.filter(congress=congress).order_by("name"),
    title=gettext_lazy("Country groups"),
    add_label=gettext_lazy("Add a country group"),
    intro=gettext_lazy(
        "Groups of countries with their own fees (for example by income level). A country "
        "belongs to one group at most; countries in no group pay the fee for every country."
    ),
    columns=(
        Column(gettext_lazy("Name"), lambda item: localized(item.name, item.name_translations)),
        Column(gettext_lazy("Countries"), _country_names),
    ),
    form_kwargs=lambda congress: {"congress": congress},
    prepare=_set_code("code", "group"),
)


# --- vouchers ---------------------------------------------------------------------------------


def _discount(voucher: Voucher) -> str:
    if voucher.kind == Voucher.Kind.FIXED:
        return format_money(voucher.value, voucher.congress.currency)
    if voucher.kind == Voucher.Kind.PERCENT:
        return f"{voucher.value} %"
    return str(voucher.get_kind_display())


def _uses(voucher: Voucher) -> str:
    if voucher.usage_limit is None:
        return _("%(used)s (no limit)") % {"used": voucher.times_used}
    return f"{voucher.times_used} / {voucher.usage_limit}"


def _validity(voucher: Voucher) -> str:
    return _("%(start)s to %(end)s") % {
        "start": _local(voucher.valid_from, voucher.congress),
        "end": _local(voucher.valid_until, voucher.congress),
    }


VOUCHERS = SettingsPage(
    name="vouchers",
    app="registration_settings",
    model=Voucher,
    form_class=VoucherForm,
    queryset=lambda congress: (
        Voucher.objects.filter(congress=congress)
        .select_related("congress", "organisation")
        .order_by("code")
    ),
    title=gettext_lazy("Vouchers"),
    add_label=gettext_lazy("Add a voucher"),
    columns=(
        Column(gettext_lazy("Code"), lambda item: item.code),
        Column(gettext_lazy("Discount"), _discount),
        Column(gettext_lazy("Used"), _uses),
        Column(gettext_lazy("Valid"), _validity),
        Column(
            gettext_lazy("Reserved for"),
            lambda item: item.organisation.name if item.organisation_id else "—",
        ),
    ),
    form_kwargs=lambda congress: {"congress": congress},
)


# --- fees and their matrix --------------------------------------------------------------------


def _category(congress: Congress, category_pk: int) -> RegistrationCategory:
    return get_object_or_404(RegistrationCategory.objects.filter(congress=congress), pk=category_pk)


def _fee_context(congress: Congress, category: RegistrationCategory, rules: list[FeeRule]):
    groups = list(CountryGroup.objects.filter(congress=congress).order_by("name"))
    # compute_fee matches groups in id order, as registration does (queries.fee_inputs).
    matrix = fee_matrix(
        category=category,
        currency=congress.currency,
        rules=rules,
        groups=sorted(groups, key=lambda group: group.pk),
        now=timezone.now(),
    )
    by_pk = {group.pk: group for group in groups}
    matrix_rows = sorted(
        matrix.rows,
        key=lambda row: (
            row.group_id is None,
            localized(by_pk[row.group_id].name, by_pk[row.group_id].name_translations)
            if row.group_id
            else "",
        ),
    )
    return {
        "matrix": matrix,
        "matrix_rows": matrix_rows,
        "early_bird_until": _local(matrix.early_bird_until, congress)
        if matrix.early_bird_until
        else "",
        "early_bird_last": _local(matrix.early_bird_last, congress)
        if matrix.early_bird_last
        else "",
    }


def _rules(category: RegistrationCategory) -> list[FeeRule]:
    return list(
        FeeRule.objects.filter(category=category)
        .select_related("country_group")
        .order_by("country_group__name", "is_member_rate", "pk")
    )


@login_required
def fees(request: HttpRequest, slug: str, category_pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    category = _category(congress, category_pk)
    rules = _rules(category)
    return render(
        request,
        "registrations/settings/fees.html",
        {
            "congress": congress,
            "category": category,
            "rules": rules,
            **_fee_context(congress, category, rules),
        },
    )


@login_required
def fee_edit(
    request: HttpRequest, slug: str, category_pk: int, pk: int | None = None
) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    category = _category(congress, category_pk)
    rule = get_object_or_404(FeeRule, category=category, pk=pk) if pk else FeeRule()
    form = FeeRuleForm(request.POST or None, instance=rule, category=category, congress=congress)
    if request.method == "POST" and form.is_valid():
        try:
            save_settings_object(
                instance=form.instance, congress=congress, actor=request.user, owner="category"
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The fee was saved."))
            return redirect(
                "registration_settings:fees", slug=congress.slug, category_pk=category.pk
            )
    rules = _rules(category)
    return render(
        request,
        "registrations/settings/fee_form.html",
        {
            "congress": congress,
            "category": category,
            "form": form,
            "rule": rule if rule.pk else None,
            **_fee_context(congress, category, rules),
        },
    )


@login_required
def fee_preview(
    request: HttpRequest, slug: str, category_pk: int, pk: int | None = None
) -> HttpResponse:
    """The matrix with the rule being typed in place (htmx, on every change of the form)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    category = _category(congress, category_pk)
    rule = get_object_or_404(FeeRule, category=category, pk=pk) if pk else FeeRule()
    form = FeeRuleForm(request.POST or None, instance=rule, category=category, congress=congress)
    rules = _rules(category)
    is_valid = request.method == "POST" and form.is_valid()
    if is_valid:
        rules = with_rule(rules, form.instance)
    return render(
        request,
        "registrations/settings/_fee_matrix.html",
        {
            "congress": congress,
            "category": category,
            "is_preview": True,
            "form_is_valid": is_valid,
            **_fee_context(congress, category, rules),
        },
    )


@login_required
def fee_delete(request: HttpRequest, slug: str, category_pk: int, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    category = _category(congress, category_pk)
    if request.method == "POST":
        try:
            delete_settings_object(
                queryset=FeeRule.objects.filter(category=category),
                pk=pk,
                congress=congress,
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The fee was deleted."))
        return redirect("registration_settings:fees", slug=congress.slug, category_pk=category.pk)
    rule = get_object_or_404(FeeRule, category=category, pk=pk)
    return render(
        request,
        "congress/backoffice/settings_delete.html",
        {
            "congress": congress,
            "page": {"title": _("Fees")},
            "object": rule_label(rule),
            "list_url": reverse(
                "registration_settings:fees",
                kwargs={"slug": congress.slug, "category_pk": category.pk},
            ),
        },
    )


def rule_label(rule: FeeRule) -> str:
    group = (
        localized(rule.country_group.name, rule.country_group.name_translations)
        if rule.country_group_id
        else _("Every country")
    )
    rate = _("member rate") if rule.is_member_rate else _("standard rate")
    return f"{group}, {rate}"


# --- bank details, letterhead, signatory ------------------------------------------------------


@login_required
def letters(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    registration_settings = settings_for(congress=congress)
    form = LettersForm(request.POST or None, request.FILES or None, instance=registration_settings)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        if form.cleaned_data.get("remove_signature") and "signature_image" not in request.FILES:
            instance.signature_image = ""
        save_settings_object(instance=instance, congress=congress, actor=request.user)
        messages.success(request, _("The bank details and letter settings were saved."))
        return redirect("registration_settings:letters", slug=congress.slug)
    return render(
        request,
        "registrations/settings/letters.html",
        {"congress": congress, "form": form, "settings": registration_settings},
    )


@login_required
def signature_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The signatory's image, streamed from private storage to the congress's organisers."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    registration_settings = settings_for(congress=congress)
    if not registration_settings.signature_image:
        raise Http404
    handle = registration_settings.signature_image.open("rb")
    response = FileResponse(handle, content_type=_content_type(handle))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(handle) -> str:
    from registrations.settings_forms import SIGNATURE_TYPES, _image_format

    return SIGNATURE_TYPES.get(_image_format(handle) or "", "application/octet-stream")


# --- registration questions (form builder) ----------------------------------------------------


def _questions(congress: Congress):
    return (
        Question.objects.filter(congress=congress)
        .prefetch_related("categories")
        .order_by("position", "pk")
    )


def _asked_in(question: Question) -> str:
    names = [localized(item.name, item.name_translations) for item in question.categories.all()]
    return ", ".join(names) if names else _("Every category")


QUESTIONS = SettingsPage(
    name="questions",
    app="registration_settings",
    model=Question,
    form_class=QuestionForm,
    queryset=_questions,
    title=gettext_lazy("Registration questions"),
    add_label=gettext_lazy("Add a question"),
    intro=gettext_lazy(
        "Questions asked on the registration form, in this order. Drag a row to move it."
    ),
    columns=(
        Column(
            gettext_lazy("Question"), lambda item: localized(item.label, item.label_translations)
        ),
        Column(gettext_lazy("Type"), lambda item: item.get_kind_display()),
        Column(gettext_lazy("Required"), lambda item: _yes_no(item.is_required)),
        Column(gettext_lazy("Asked in"), _asked_in),
    ),
    form_kwargs=lambda congress: {"congress": congress},
    sortable=True,
)


class _PreviewForm(forms.Form):
    """The one question as a participant sees it on the registration form."""

    def __init__(self, question: Question):
        super().__init__()
        self.fields[f"q_{question.code or 'preview'}"] = _question_field(question)


def _question_builder(request: HttpRequest, congress: Congress, question: Question):
    return question_builder(
        request,
        congress=congress,
        question=question,
        form_class=QuestionForm,
        translations_key="translations",
    )


def _apply_choices(form, formset, congress: Congress) -> bool:
    """Put the formset's choices on the form's question; False when something is invalid."""
    return apply_choices(
        form,
        formset,
        congress=congress,
        translations_key="translations",
        choice_kinds=(Question.Kind.CHOICE,),
    )


@login_required
def question_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    question = get_object_or_404(_questions(congress), pk=pk) if pk else Question(congress=congress)
    form, formset = _question_builder(request, congress, question)
    if request.method == "POST" and _apply_choices(form, formset, congress):
        instance = form.save(commit=False)
        _set_code("code", "question")(instance, congress, form)
        if instance.pk is None:
            instance.position = Question.objects.filter(congress=congress).count()
        try:
            save_settings_object(
                instance=instance,
                congress=congress,
                actor=request.user,
                many_to_many={"categories": form.cleaned_data["categories"]},
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was saved."))
            return redirect("registration_settings:questions", slug=congress.slug)
    return render(
        request,
        "congress/backoffice/question_builder.html",
        {
            "congress": congress,
            "heading": localized(question.label, question.label_translations)
            if question.pk
            else _("Add a question"),
            "list_title": _("Registration questions"),
            "preview_template": "registrations/settings/_question_preview.html",
            "form": form,
            "formset": formset,
            "question": question if question.pk else None,
            "preview": _PreviewForm(question) if question.pk else None,
            "preview_url": reverse(
                "registration_settings:question_preview", kwargs={"slug": congress.slug}
            ),
            "list_url": reverse("registration_settings:questions", kwargs={"slug": congress.slug}),
        },
    )


@login_required
def question_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The question being edited, as a participant would see it (htmx, on every change)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    question = Question(congress=congress, code="preview")
    form, formset = _question_builder(request, congress, question)
    preview = _PreviewForm(question) if _apply_choices(form, formset, congress) else None
    return render(request, "registrations/settings/_question_preview.html", {"preview": preview})
