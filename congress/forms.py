"""Organiser forms of the congress app: the team page, accepting an invitation, and the
create-or-clone wizard. Lists instead of codes, one input per language, no JSON."""

from babel import Locale
from babel.numbers import list_currencies
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.forms import (
    CountryField,
    LanguagesField,
    TimeZoneField,
    TranslatedTextField,
    language_name,
)
from congress.models import Congress, CongressRole

Role = CongressRole.Role


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation e-mail"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language() or settings.LANGUAGE_CODE
        self.congress = congress


class AcceptInvitationForm(forms.Form):
    """A new account for the invited address: the invitee chooses their password."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies named in the reader's language: "Swiss Franc (CHF)"."""
    locale = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    named = [
        (code, f"{locale.currencies.get(code, code)} ({code})")
        for code in list_currencies()
        if len(code) == 3 and code.isalpha() and code.isupper()
    ]
    return sorted(named, key=lambda item: item[1].casefold())


class CongressCreateForm(forms.Form):
    """The create-or-clone wizard, in three steps shown as sections of one page."""

    languages = LanguagesField(
        help_text=_("The first language in this list is the congress's main language.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Congress.Kind.choices)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    timezone = TimeZoneField(help_text=_("Every time of the congress is shown in this zone."))
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(
        label=_("Venue address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    city = forms.CharField(label=_("City"), max_length=100)
    country = CountryField(label=_("Country"))
    clone_from = forms.ModelChoiceField(
        label=_("Copy from a previous edition"),
        queryset=Congress.objects.none(),
        required=False,
        empty_label=_("Start from an empty congress"),
        help_text=_(
            "Copies tracks, rooms, categories, fee rules, country groups, registration "
            "questions, calls and their questions, badge templates and settings."
        ),
    )
    offset_days = forms.IntegerField(
        label=_("Move the copied dates by (days)"),
        required=False,
        min_value=-3660,
        max_value=3660,
        help_text=_("Leave empty to move them by the distance between the two first days."),
    )
    include_vouchers = forms.BooleanField(label=_("Copy the vouchers too"), required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        # The name: one input per language the site offers; each chosen one must be filled.
        self.fields["names"] = TranslatedTextField(
            languages=[code for code, _name in settings.WORKING_LANGUAGES],
            label=_("Name in each working language"),
            max_length=200,
            required=False,
        )
        self.order_fields(["names", "languages"])
        # Any edition of this network (the caller checked that `user` administers it).
        self.fields["clone_from"].queryset = Congress.objects.filter(network=network).order_by(
            "-starts_on", "name"
        )
        self.fields["clone_from"].label_from_instance = lambda congress: (
            f"{congress.name} ({congress.starts_on:%Y})"
        )

    def clean(self):
        cleaned = super().clean()
        languages = cleaned.get("languages") or []
        names = cleaned.get("names") or {}
        missing = [code for code in languages if not names.get(code)]
        if missing:
            self.add_error(
                "names",
                _("Enter the name in %(languages)s.")
                % {"languages": ", ".join(str(language_name(code)) for code in missing)},
            )
        cleaned["names"] = {code: names[code] for code in languages if names.get(code)}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned
