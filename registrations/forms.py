from decimal import Decimal

from babel.numbers import get_currency_precision
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.exports import CSV, FORMATS
from common.i18n import localized
from members.models import Organisation
from registrations.bank_formats import MAX_AMOUNT_MINOR, MAX_STATEMENT_BYTES
from registrations.exceptions import InvalidAnswers
from registrations.models import (
    BankImportMapping,
    BankStatementImport,
    InvoiceSettings,
    Question,
    Registration,
    RegistrationCategory,
    VisaLetterRequest,
)
from registrations.queries import questions_for_category
from registrations.services.answers import MAX_ANSWER_LENGTH, validate_answers
from registrations.services.exports import DEFAULT_COLUMNS, EXPORT_COLUMNS

# RFC 5321 limits a forward path to 256 octets, so an address holds at most 254 characters;
# the column is that long too, so a longer one must be refused here, not by the database.
EMAIL_MAX_LENGTH = 254


def country_choices() -> list[tuple[str, str]]:
    """Countries named and sorted in the active language, after an empty choice (no
    default: a participant must pick their own). Called on every rendering."""
    return [("", _("— Choose a country —")), *countries]


def country_field(label, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=country_choices, required=required, empty_value=""
    )


def email_field(label, *, required: bool = True) -> forms.EmailField:
    return forms.EmailField(label=label, max_length=EMAIL_MAX_LENGTH, required=required)


class AnswerField(forms.Field):
    """One custom question's input. It only carries the raw value: `validate_answers`, the
    service the API calls too, decides what is required, allowed and how long."""

    def __init__(self, *, question: Question, **kwargs) -> None:
        super().__init__(required=False, **kwargs)
        # Shown as required (the " *" of _form_fields.html) without the field enforcing it.
        self.marked_required = question.is_required


def _question_field(question: Question) -> forms.Field:
    label = localized(question.label, question.label_translations)
    if question.kind == Question.Kind.BOOLEAN:
        field = forms.BooleanField(label=label, required=False)
        field.marked_required = question.is_required
        return field
    if question.kind == Question.Kind.CHOICE:
        choices = [
            (item.get("value", ""), localized(item.get("label", ""), item.get("translations")))
            for item in question.choices
        ]
        widget = forms.Select(choices=[("", "—"), *choices])
    elif question.kind == Question.Kind.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    elif question.kind == Question.Kind.LONG_TEXT:
        widget = forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ANSWER_LENGTH[question.kind]})
    else:
        widget = forms.TextInput(attrs={"maxlength": MAX_ANSWER_LENGTH[question.kind]})
    return AnswerField(question=question, label=label, widget=widget)


class AnswersMixin:
    """Adds one field per custom question, named q_<code>; `validate_answers` (the service
    shared with the API) checks the answers and its errors land on the questions' fields."""

    def add_questions(self, questions: list[Question], initial: dict | None = None) -> None:
        self.questions = questions
        self.cleaned_answers: dict = {}
        for question in questions:
            field = _question_field(question)
            if initial and question.code in initial:
                field.initial = initial[question.code]
            self.fields[f"q_{question.code}"] = field

    def clean_answers_for(self, *, congress, category: RegistrationCategory) -> None:
        """Validate the answers to the questions asked in `category` (others are ignored:
        the form shows every category's questions) and keep them in `cleaned_answers`."""
        asked = questions_for_category(questions=self.questions, category=category)
        raw = {
            question.code: self.cleaned_data.get(f"q_{question.code}")
            for question in asked
            if f"q_{question.code}" in self.cleaned_data
        }
        try:
            self.cleaned_answers = validate_answers(
                congress=congress, category=category, answers=raw, questions=asked
            )
        except InvalidAnswers as error:
            for code, problems in error.errors.items():
                for problem in problems:
                    self.add_error(
                        f"q_{code}", forms.ValidationError(problem.message, code=problem.code)
                    )

    def answers(self) -> dict:
        return self.cleaned_answers


class RegistrationForm(AnswersMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Registration category"), queryset=RegistrationCategory.objects.none()
    )
    name = forms.CharField(label=_("Full name (in your own script)"), max_length=200)
    latin_name = forms.CharField(
        label=_("Full name in Latin letters"), max_length=200, required=False
    )
    email = email_field(_("Email"))
    country = country_field(_("Country"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Not listed / none"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation (if not listed)"), max_length=200, required=False
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    voucher_code = forms.CharField(label=_("Voucher code"), max_length=40, required=False)
    access_code = forms.CharField(
        label=_("Access code (if the organisers gave you one)"), max_length=40, required=False
    )
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=[], widget=forms.RadioSelect, required=False
    )
    list_visibility = forms.ChoiceField(
        label=_("Participants' list"),
        choices=Registration.ListVisibility.choices,
        initial=Registration.ListVisibility.NOWHERE,
    )
    consent = forms.BooleanField(
        label=_("I agree that my data is processed to organise the congress.")
    )

    def __init__(self, *args, congress, categories, questions, card_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda category: localized(
            category.name, category.name_translations
        )
        methods = [(Registration.PaymentMethod.TRANSFER, _("Bank transfer"))]
        if card_enabled:
            methods.insert(
                0, (Registration.PaymentMethod.CARD, _("Card (secure payment by Stripe)"))
            )
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = methods[0][0]
        self.congress = congress
        self.add_questions(questions)

    def clean_payment_method(self) -> str:
        return self.cleaned_data.get("payment_method") or Registration.PaymentMethod.TRANSFER

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if cleaned_data.get("category") is not None:
            self.clean_answers_for(congress=self.congress, category=cleaned_data["category"])
        return cleaned_data


class AnswersForm(AnswersMixin, forms.Form):
    list_visibility = forms.ChoiceField(
        label=_("Participants' list"), choices=Registration.ListVisibility.choices
    )

    def __init__(self, *args, questions, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.fields["list_visibility"].initial = registration.list_visibility
        self.add_questions(questions, initial=registration.answers)

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self.clean_answers_for(
            congress=self.registration.congress, category=self.registration.category
        )
        return cleaned_data


class VisaRequestForm(forms.Form):
    full_name = forms.CharField(label=_("Name as in the passport"), max_length=200)
    nationality = country_field(_("Nationality"))
    passport_number = forms.CharField(label=_("Passport number"), max_length=30)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Passport expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DelegateForm(AnswersMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    latin_name = forms.CharField(label=_("Name in Latin letters"), max_length=200, required=False)
    email = email_field(_("Email"))
    country = country_field(_("Country"))
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Same as the head of delegation")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args, questions: list[Question], answers_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions, initial=answers_initial)


class BaseDelegateFormSet(forms.BaseFormSet):
    def clean_answers_for(self, *, congress, category: RegistrationCategory) -> bool:
        """Check every filled-in delegate's answers for the group's category (known only
        once the group form is valid); errors land on that delegate's fields."""
        for form in self.forms:
            if form.has_changed():
                form.clean_answers_for(congress=congress, category=category)
        return not any(form.errors for form in self.forms)


DelegateFormSet = forms.formset_factory(
    DelegateForm,
    formset=BaseDelegateFormSet,
    extra=3,
    min_num=1,
    validate_min=True,
    max_num=50,
)


class GroupForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Registration category"), queryset=RegistrationCategory.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    contact_name = forms.CharField(label=_("Head of delegation"), max_length=200)
    contact_email = email_field(_("Head of delegation's e-mail"))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    payment_method = forms.ChoiceField(label=_("Payment"), choices=[], widget=forms.RadioSelect)
    voucher_code = forms.CharField(
        label=_("Voucher code (covers the whole delegation)"), max_length=40, required=False
    )
    access_code = forms.CharField(
        label=_("Access code (if the organisers gave you one)"), max_length=40, required=False
    )

    def __init__(self, *args, categories, card_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        methods = [(Registration.PaymentMethod.TRANSFER, _("Bank transfer"))]
        if card_enabled:
            methods.insert(
                0, (Registration.PaymentMethod.CARD, _("Card (secure payment by Stripe)"))
            )
        self.fields["payment_method"].choices = methods
        self.fields["payment_method"].initial = methods[0][0]


class LostLinkForm(forms.Form):
    email = email_field(_("The e-mail address you registered with"))


class InvitationForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=RegistrationCategory.objects.none()
    )
    note = forms.CharField(label=_("For whom (a name or a note)"), max_length=200, required=False)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RegistrationCategory.objects.filter(congress=congress)
        self.fields["category"].label_from_instance = lambda category: localized(
            category.name, category.name_translations
        )


class VisaApprovalForm(forms.Form):
    """The letter's language (the consulate's) and the costs the organisers cover, both
    defaulting to the congress's registration settings."""

    language = forms.ChoiceField(label=_("Letter language"), choices=settings.LANGUAGES)
    costs_covered = forms.MultipleChoiceField(
        label=_("The organisers cover"),
        choices=VisaLetterRequest.Cost.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class VisaOfficerForm(forms.Form):
    email = email_field(_("E-mail address of the user account"))


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Registration.Status.choices]
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=RegistrationCategory.objects.none()
    )
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RegistrationCategory.objects.filter(congress=congress)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["category"]:
            queryset = queryset.filter(category=data["category"])
        if data["country"]:
            queryset = queryset.filter(person__country=data["country"].upper())
        from registrations.queries import search_registrations

        return search_registrations(queryset, text=data["q"] or "")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            key: (value.pk if hasattr(value, "pk") else value)
            for key, value in self.cleaned_data.items()
            if value
        }


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(key, label) for key, (label, _getter) in EXPORT_COLUMNS.items()],
        initial=DEFAULT_COLUMNS,
        widget=forms.CheckboxSelectMultiple,
    )
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[(name, name.upper()) for name in FORMATS], initial=CSV
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Move to category"),
        queryset=RegistrationCategory.objects.none(),
        error_messages={
            "required": _("Choose the category to move the registration to."),
            "invalid_choice": _(
                "This category does not exist in this congress: the registration was not moved."
            ),
        },
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RegistrationCategory.objects.filter(congress=congress)
        self.fields["category"].label_from_instance = lambda category: localized(
            category.name, category.name_translations
        )


class MarkPaidForm(forms.Form):
    """The amount received, typed in major units ("120.50", or "120,50" in French) in the
    registration's currency; `cleaned_data["amount"]` is in minor units (None: all due)."""

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        precision = get_currency_precision(currency)
        self.fields["amount"] = forms.DecimalField(
            # Translators: %(currency)s is an ISO 4217 code such as EUR.
            label=_("Amount received (%(currency)s)") % {"currency": currency},
            help_text=_("Leave empty to record the whole amount still due."),
            required=False,
            localize=True,
            max_digits=12 + precision,
            decimal_places=precision,
            error_messages={
                "max_decimal_places": _("%(currency)s has at most %(precision)s decimals.")
                % {"currency": currency, "precision": precision},
                "max_digits": _("The amount is too large."),
                "max_whole_digits": _("The amount is too large."),
            },
        )
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal"})

    def clean_amount(self) -> int | None:
        amount = self.cleaned_data["amount"]
        if amount is None:
            return None
        if amount <= 0:
            raise forms.ValidationError(_("Enter an amount greater than zero."))
        minor = int(amount.scaleb(get_currency_precision(self.currency)))
        if minor > MAX_AMOUNT_MINOR:
            raise forms.ValidationError(_("The amount is too large."))
        return minor


STATEMENT_EXTENSIONS = {
    BankStatementImport.Format.CSV: (".csv", ".txt"),
    BankStatementImport.Format.CAMT053: (".xml",),
    BankStatementImport.Format.MT940: (".sta", ".mt940", ".940", ".txt"),
}


class BankStatementForm(forms.Form):
    statement = forms.FileField(label=_("Bank statement"))
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=BankStatementImport.Format.choices,
        initial=BankStatementImport.Format.CSV,
    )
    mapping = forms.ModelChoiceField(
        label=_("Bank (CSV columns)"),
        queryset=BankImportMapping.objects.none(),
        required=False,
        empty_label=_("Standard: date, amount, currency, reference"),
        error_messages={"invalid_choice": _("Choose a bank of this congress.")},
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = BankImportMapping.objects.filter(congress=congress)

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, file_format = cleaned.get("statement"), cleaned.get("file_format")
        if upload is not None and file_format in STATEMENT_EXTENSIONS:
            extensions = STATEMENT_EXTENSIONS[file_format]
            if not upload.name.lower().endswith(extensions):
                self.add_error(
                    "statement",
                    _("Upload a file ending in %(extensions)s for this format.")
                    % {"extensions": ", ".join(extensions)},
                )
        return cleaned


class BankMappingForm(forms.ModelForm):
    class Meta:
        model = BankImportMapping
        fields = [
            "name",
            "delimiter",
            "decimal_separator",
            "thousands_separator",
            "encoding",
            "date_format",
            "date_column",
            "amount_column",
            "reference_column",
            "payer_column",
            "currency_column",
            "transaction_id_column",
        ]

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.congress = congress

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decimal_separator") and cleaned.get("decimal_separator") == cleaned.get(
            "thousands_separator"
        ):
            self.add_error(
                "thousands_separator",
                _("The thousands separator must differ from the decimal separator."),
            )
        return cleaned


class ResolveLineForm(forms.Form):
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=20,
        required=False,
        help_text=_("REG-… for a registration, GRP-… for a delegation."),
    )


class BillingDetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Billing entity"),
        max_length=200,
        help_text=_("The person or organisation the invoice is made out to."),
    )
    address = forms.CharField(
        label=_("Billing address"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    country = country_field(_("Country"), required=False)
    vat_number = forms.CharField(label=_("VAT number"), max_length=40, required=False)


class InvoiceSettingsForm(forms.ModelForm):
    vat_rate = forms.DecimalField(
        label=_("VAT rate (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        localize=True,
        help_text=_("0 when no VAT is charged: then print the exemption text."),
    )

    class Meta:
        model = InvoiceSettings
        fields = [
            "issuer_name",
            "issuer_address",
            "issuer_vat_number",
            "number_prefix",
            "vat_exemption_text",
        ]
        widgets = {"issuer_address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.congress = congress
        self.fields["vat_rate"].initial = Decimal(self.instance.vat_rate_basis_points).scaleb(-2)
        self.order_fields(["issuer_name", "issuer_address", "issuer_vat_number", "number_prefix"])

    def clean(self):
        cleaned = super().clean()
        rate = cleaned.get("vat_rate")
        if rate is not None and rate == 0 and not cleaned.get("vat_exemption_text"):
            self.add_error(
                "vat_exemption_text",
                _("Without VAT, say why: invoices must print the exemption."),
            )
        return cleaned

    def save(self, commit: bool = True):
        self.instance.vat_rate_basis_points = int(self.cleaned_data["vat_rate"].scaleb(2))
        return super().save(commit=commit)
