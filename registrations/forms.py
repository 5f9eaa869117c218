from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.exports import CSV, FORMATS
from common.i18n import localized
from members.models import Organisation
from registrations.exceptions import InvalidAnswers
from registrations.models import Question, Registration, RegistrationCategory, VisaLetterRequest
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
