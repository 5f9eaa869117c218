"""Forms of travel support. They validate shape (amounts in major units of the right
currency, local times, choices of this congress); services apply the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDateTimeField, MoneyField, TranslatedTextField, currency_choices
from common.i18n import localized
from common.regions import REGIONS, region_name
from congress.models import Congress
from registrations.models import RegistrationCategory
from travel.models import (
    AccommodationRequest,
    CostType,
    Donor,
    Gender,
    GrantQuestion,
    Hotel,
    Reimbursement,
    RoomType,
)

TEXT = {"dir": "auto"}


def _amount(raw, currency: str, field: str, errors: dict) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return MoneyField(currency=currency).clean(raw)
    except ValidationError as error:
        errors[field] = error.messages
        return None


class GrantApplicationForm(forms.Form):
    """What the applicant asks for (estimates in their own currency), why, and the
    organisers' questions."""

    currency = forms.ChoiceField(label=_("Currency of your estimates"), choices=currency_choices)
    motivation = forms.CharField(
        label=_("Why do you need support, and what will you bring back to your work?"),
        max_length=3000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
    )
    nights = forms.IntegerField(
        label=_("Accommodation nights"), min_value=0, max_value=60, required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional: donors ask for figures; never shown with your name)"),
        choices=Gender.choices,
        required=False,
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in CostType.choices:
            self.fields[f"amount_{value}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        self.questions = list(GrantQuestion.objects.filter(congress=congress))
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=localized(question.label, question.label_translations),
                required=question.is_required,
                max_length=2000,
                widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
            )

    def cost_fields(self):
        return [self[f"amount_{value}"] for value, _label in CostType.choices]

    def question_fields(self):
        return [self[f"question_{question.pk}"] for question in self.questions]

    def clean(self):
        cleaned = super().clean()
        currency = cleaned.get("currency")
        if not currency:
            return cleaned
        errors: dict = {}
        items = []
        for value, _label in CostType.choices:
            amount = _amount(cleaned.get(f"amount_{value}"), currency, f"amount_{value}", errors)
            if amount:
                nights = cleaned.get("nights") or 0 if value == CostType.ACCOMMODATION else 0
                items.append((value, amount, nights))
        for field, messages in errors.items():
            self.add_error(field, messages)
        if not errors and not items:
            raise ValidationError(_("Enter the amount of at least one cost."))
        cleaned["items"] = items
        cleaned["answers"] = {
            str(question.pk): cleaned.get(f"question_{question.pk}", "")
            for question in self.questions
        }
        return cleaned


class ClaimForm(forms.Form):
    award = forms.ChoiceField(label=_("Which award"))
    amount = forms.CharField(
        label=_("Amount you paid"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    description = forms.CharField(
        label=_("What it was for"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    receipt = forms.FileField(
        label=_("Receipt (PDF, JPEG or PNG, up to 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.awards = {str(award.pk): award for award in awards}
        self.fields["award"].choices = [
            (str(award.pk), f"{award.get_cost_type_display()} ({award.budget_line.currency})")
            for award in awards
        ]

    def clean(self):
        cleaned = super().clean()
        award = self.awards.get(cleaned.get("award", ""))
        if award is None:
            return cleaned
        errors: dict = {}
        cleaned["award"] = award
        cleaned["amount_minor"] = _amount(
            cleaned.get("amount"), award.budget_line.currency, "amount", errors
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned


class AccommodationForm(forms.ModelForm):
    class Meta:
        model = AccommodationRequest
        fields = ["first_night", "last_night", "sharing", "share_with", "gender"]
        widgets = {
            "first_night": forms.DateInput(attrs={"type": "date"}),
            "last_night": forms.DateInput(attrs={"type": "date"}),
            "share_with": forms.TextInput(attrs=TEXT),
        }
        labels = {"gender": _("Gender (only used to share a room with someone of your gender)")}

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_night"), cleaned.get("last_night")
        if first and last and last < first:
            self.add_error("last_night", _("The last night cannot be before the first."))
        if cleaned.get("sharing") == AccommodationRequest.Sharing.SAME_GENDER and not cleaned.get(
            "gender"
        ):
            self.add_error("gender", _("Tell us your gender to share with someone of your gender."))
        if cleaned.get("sharing") == AccommodationRequest.Sharing.NAMED and not cleaned.get(
            "share_with"
        ):
            self.add_error("share_with", _("Name the person you will share with."))
        return cleaned


class ItineraryForm(forms.Form):
    needs_transfer = forms.BooleanField(label=_("I need an airport transfer"), required=False)
    phone = forms.CharField(label=_("Mobile phone during the trip"), max_length=30, required=False)
    arrival_flight = forms.RegexField(
        label=_("Arrival flight"), regex=r"^[A-Za-z0-9 ]{2,10}$", required=False, max_length=10
    )
    arrival_airport = forms.RegexField(
        label=_("Arrival airport (3-letter code, for example GVA)"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
    )
    departure_flight = forms.RegexField(
        label=_("Departure flight"), regex=r"^[A-Za-z0-9 ]{2,10}$", required=False, max_length=10
    )
    departure_airport = forms.RegexField(
        label=_("Departure airport (3-letter code)"), regex=r"^[A-Za-z]{3}$", required=False
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arrival_at"] = LocalDateTimeField(
            tz=congress.timezone, label=_("Arrival (local time)"), required=False
        )
        self.fields["departure_at"] = LocalDateTimeField(
            tz=congress.timezone, label=_("Departure (local time)"), required=False
        )
        self.order_fields(
            ["needs_transfer", "phone", "arrival_flight", "arrival_airport", "arrival_at"]
        )


# Organiser forms ----------------------------------------------------------------------------


class GrantSettingsForm(forms.Form):
    is_open = forms.BooleanField(label=_("Applications are open"), required=False)

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"] = LocalDateTimeField(
            tz=congress.timezone, label=_("Deadline"), required=False
        )
        self.fields["introduction"] = TranslatedTextField(
            languages=congress.working_languages or ["en"],
            label=_("Introduction shown to applicants"),
            multiline=True,
            required=False,
            max_length=3000,
        )


class GrantQuestionForm(forms.Form):
    is_required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"] = TranslatedTextField(
            languages=congress.working_languages or ["en"], label=_("Question"), max_length=300
        )
        self.order_fields(["label", "is_required"])


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(value, str(value)) for value in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the committee"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class AwardForm(forms.Form):
    """One optional (budget line, amount) pair per cost type; amounts in the line's currency."""

    note = forms.CharField(
        label=_("Note for the applicant (in the award letter)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {str(line.pk): line for line in lines}
        choices = [("", "---------")] + [
            (str(line.pk), f"{line.donor.name} · {line.name} ({line.currency})") for line in lines
        ]
        for value, label in CostType.choices:
            self.fields[f"line_{value}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.fields[f"amount_{value}"] = forms.CharField(
                label=_("Amount"),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def rows(self):
        return [
            (label, self[f"line_{value}"], self[f"amount_{value}"])
            for value, label in CostType.choices
        ]

    def clean(self):
        cleaned = super().clean()
        errors: dict = {}
        awards = []
        for value, _label in CostType.choices:
            line = self.lines.get(cleaned.get(f"line_{value}") or "")
            raw = cleaned.get(f"amount_{value}")
            if line is None and not raw:
                continue
            if line is None:
                errors[f"line_{value}"] = [_("Choose the budget line that pays for it.")]
                continue
            amount = _amount(raw, line.currency, f"amount_{value}", errors)
            if not amount:
                errors.setdefault(f"amount_{value}", [_("Enter the amount awarded.")])
                continue
            awards.append((line, value, amount))
        for field, messages in errors.items():
            self.add_error(field, messages)
        if not errors and not awards:
            raise ValidationError(_("Choose a budget line and an amount for at least one cost."))
        cleaned["awards"] = awards
        return cleaned


class RefuseForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the applicant"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class ClaimDecisionForm(forms.Form):
    approved = forms.CharField(label=_("Approved amount"), required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_approved(self):
        errors: dict = {}
        amount = _amount(self.cleaned_data.get("approved"), self.currency, "approved", errors)
        if errors:
            raise ValidationError(errors["approved"])
        return amount


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Paid by"), choices=Reimbursement.Method.choices)


class DonorForm(forms.ModelForm):
    class Meta:
        model = Donor
        fields = ["name"]


class BudgetLineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    total = forms.CharField(
        label=_("Total"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    regions = forms.MultipleChoiceField(
        label=_("Only for people from these regions (none: any)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(code, region_name(code)) for code in REGIONS],
    )
    cost_types = forms.MultipleChoiceField(
        label=_("Only for these costs (none: any)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=CostType.choices,
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"] = forms.ModelChoiceField(
            label=_("Donor"), queryset=Donor.objects.filter(congress=congress)
        )
        self.fields["categories"] = forms.ModelMultipleChoiceField(
            label=_("Only for these registration categories (none: any)"),
            queryset=RegistrationCategory.objects.filter(congress=congress),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["currency"].initial = congress.currency
        self.order_fields(["donor", "name", "currency", "total"])

    def clean(self):
        cleaned = super().clean()
        errors: dict = {}
        if cleaned.get("currency"):
            cleaned["total_minor"] = _amount(
                cleaned.get("total"), cleaned["currency"], "total", errors
            )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return cleaned


class HotelForm(forms.ModelForm):
    class Meta:
        model = Hotel
        fields = ["name", "address"]


class RoomTypeForm(forms.ModelForm):
    class Meta:
        model = RoomType
        fields = [
            "hotel",
            "name",
            "beds",
            "rooms",
            "price_per_night_minor",
            "first_night",
            "last_night",
        ]
        widgets = {
            "first_night": forms.DateInput(attrs={"type": "date"}),
            "last_night": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hotel"].queryset = Hotel.objects.filter(congress=congress)
        self.fields["price_per_night_minor"] = MoneyField(
            currency=congress.currency, label=_("Price per room and night")
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_night"), cleaned.get("last_night")
        if first and last and last < first:
            self.add_error("last_night", _("The last night cannot be before the first."))
        return cleaned


class AllocateForm(forms.Form):
    def __init__(self, *args, requests, room_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"] = forms.MultipleChoiceField(
            label=_("People in the room"),
            choices=[
                (str(request.registration_id), request.registration.person.name)
                for request in requests
            ],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["room_type"] = forms.ModelChoiceField(label=_("Room type"), queryset=room_types)
