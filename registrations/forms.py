from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from common.exports import CSV, FORMATS
from common.i18n import localized
from members.models import Organisation
from registrations.models import Question, Registration, RegistrationCategory
from registrations.services.exports import DEFAULT_COLUMNS, EXPORT_COLUMNS


def _question_field(question: Question) -> forms.Field:
    label = localized(question.label, question.label_translations)
    required = question.is_required
    if question.kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            label=label, required=required, widget=forms.Textarea(attrs={"rows": 3})
        )
    if question.kind == Question.Kind.CHOICE:
        choices = [
            (item.get("value", ""), localized(item.get("label", ""), item.get("translations")))
            for item in question.choices
        ]
        return forms.ChoiceField(label=label, required=required, choices=[("", "—"), *choices])
    if question.kind == Question.Kind.DATE:
        return forms.DateField(
            label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
        )
    if question.kind == Question.Kind.BOOLEAN:
        return forms.BooleanField(label=label, required=required)
    return forms.CharField(label=label, required=required, max_length=500)


class AnswersMixin:
    """Adds one field per custom question, named q_<code>."""

    def add_questions(self, questions: list[Question], initial: dict | None = None) -> None:
        self.questions = questions
        for question in questions:
            field = _question_field(question)
            if initial and question.code in initial:
                field.initial = initial[question.code]
            self.fields[f"q_{question.code}"] = field

    def answers(self) -> dict:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.code}")
            if value not in (None, ""):
                result[question.code] = value.isoformat() if hasattr(value, "isoformat") else value
        return result


class RegistrationForm(AnswersMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Registration category"), queryset=RegistrationCategory.objects.none()
    )
    name = forms.CharField(label=_("Full name (in your own script)"), max_length=200)
    latin_name = forms.CharField(
        label=_("Full name in Latin letters"), max_length=200, required=False
    )
    email = forms.EmailField(label=_("Email"))
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
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
        self.add_questions(questions)

    def clean_payment_method(self) -> str:
        return self.cleaned_data.get("payment_method") or Registration.PaymentMethod.TRANSFER


class AnswersForm(AnswersMixin, forms.Form):
    list_visibility = forms.ChoiceField(
        label=_("Participants' list"), choices=Registration.ListVisibility.choices
    )

    def __init__(self, *args, questions, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_visibility"].initial = registration.list_visibility
        self.add_questions(questions, initial=registration.answers)


class VisaRequestForm(forms.Form):
    full_name = forms.CharField(label=_("Name as in the passport"), max_length=200)
    nationality = LazyTypedChoiceField(label=_("Nationality"), choices=countries)
    passport_number = forms.CharField(label=_("Passport number"), max_length=30)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Passport expiry date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DelegateForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    latin_name = forms.CharField(label=_("Name in Latin letters"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"))


DelegateFormSet = forms.formset_factory(
    DelegateForm, extra=3, min_num=1, validate_min=True, max_num=50
)


class GroupForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Registration category"), queryset=RegistrationCategory.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    payment_method = forms.ChoiceField(label=_("Payment"), choices=[], widget=forms.RadioSelect)

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
        label=_("Move to category"), queryset=RegistrationCategory.objects.none()
    )

    def __init__(self, *args, congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RegistrationCategory.objects.filter(congress=congress)


class MarkPaidForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount received (minor units, e.g. cents)"), min_value=1, required=False
    )


class BankStatementForm(forms.Form):
    statement = forms.FileField(label=_("Bank statement (CSV: date, amount, currency, reference)"))

    def clean_statement(self):
        upload = self.cleaned_data["statement"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


class ResolveLineForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=20, required=False)
