"""Form fields for the organiser's backoffice, so no page ever asks for JSON, minor units or UTC.

- `TranslatedTextField`: one input per working language; the value is `{language: text}`.
  `TranslatedFieldsMixin` binds it to a model's canonical text plus `*_translations` pair.
- `MoneyField`: typed in major units of the congress's currency (CHF 300.00), cleaned to an
  integer in minor units (30000), as every amount is stored.
- `LocalDateTimeField`: typed and shown in the congress's time zone, cleaned to an aware
  datetime.
- `TimeZoneField`, `LanguagesField`, `CountryField`, `CountriesField`: lists instead of codes;
  countries translated, sorted in the active language and grouped by world region.
"""

import unicodedata
import zoneinfo
from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from common.regions import REGIONS, region_name, region_of


def language_name(code: str) -> str:
    names = dict(getattr(settings, "WORKING_LANGUAGES", settings.LANGUAGES))
    return str(names.get(code, code))


# Translatable text -------------------------------------------------------------------------


class TranslatedTextWidget(forms.MultiWidget):
    """One labelled input per language, each with its own `lang` and `dir="auto"`."""

    template_name = "common/widgets/translated_text.html"

    def __init__(self, languages, *, multiline: bool = False, attrs=None):
        self.languages = list(languages)
        base = forms.Textarea if multiline else forms.TextInput
        widgets = {
            code: base(attrs={"lang": code, "dir": "auto", **({"rows": 3} if multiline else {})})
            for code in self.languages
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for code, subwidget in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            subwidget["language"] = code
            subwidget["language_name"] = language_name(code)
        return context


class TranslatedTextField(forms.MultiValueField):
    """`{language: text}` with one input per language. When required, the first language is."""

    def __init__(
        self,
        *,
        languages,
        max_length: int | None = None,
        multiline: bool = False,
        required: bool = True,
        **kwargs,
    ):
        self.languages = list(languages) or [settings.LANGUAGE_CODE]
        fields = [
            forms.CharField(max_length=max_length, required=False, strip=True)
            for _code in self.languages
        ]
        super().__init__(
            fields=fields,
            widget=TranslatedTextWidget(self.languages, multiline=multiline),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        return {
            code: text for code, text in zip(self.languages, data_list or [], strict=False) if text
        }

    def validate(self, value):
        if self.required and not value.get(self.languages[0]):
            raise ValidationError(
                _("Enter the text in %(language)s at least."),
                code="required",
                params={"language": language_name(self.languages[0])},
            )

    def clean(self, value):
        # MultiValueField answers "required" for an all-empty value before `validate` can name
        # the language; do the empty case here so the message says which input to fill.
        cleaned = super().clean(value) if any(value or []) else {}
        self.validate(cleaned)
        return cleaned


def canonical_text(texts: dict[str, str], languages) -> str:
    """The text models keep as their canonical value: the first language's, else any."""
    for code in languages:
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


class TranslatedFieldsMixin:
    """ModelForm mixin for models with `name` + `name_translations` style pairs.

    Declare `translated_fields = {"name": "name_translations"}` and pass `languages=` (the
    congress's working languages) to the form. Each pair is edited as one
    `TranslatedTextField`; on save the canonical field holds the first language's text and the
    translations hold every language that was filled in.
    """

    translated_fields: dict[str, str] = {}

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        for name, store in self.translated_fields.items():
            model_field = self._meta.model._meta.get_field(name)
            initial = dict(getattr(self.instance, store, None) or {})
            canonical = getattr(self.instance, name, "")
            if canonical and not any(initial.values()):
                initial[self.languages[0]] = canonical
            self.fields[name] = TranslatedTextField(
                languages=self.languages,
                label=capfirst(model_field.verbose_name),
                max_length=getattr(model_field, "max_length", None),
                multiline=isinstance(model_field, models.TextField),
                required=not model_field.blank,
                initial=initial,
                help_text=model_field.help_text,
            )
            self.initial[name] = initial

    def _post_clean(self):
        texts = {}
        for name in self.translated_fields:
            if isinstance(self.cleaned_data.get(name), dict):
                texts[name] = self.cleaned_data[name]
                self.cleaned_data[name] = canonical_text(texts[name], self.languages)
        super()._post_clean()
        for name, store in self.translated_fields.items():
            if name in texts:
                setattr(self.instance, store, texts[name])
                self.cleaned_data[name] = texts[name]


# Money ---------------------------------------------------------------------------------------


class MoneyInput(forms.NumberInput):
    template_name = "common/widgets/money.html"

    def __init__(self, currency: str, attrs=None):
        self.currency = currency
        precision = get_currency_precision(currency)
        step = str(Decimal(1).scaleb(-precision)) if precision else "1"
        super().__init__(attrs={"step": step, "min": "0", "inputmode": "decimal", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["currency"] = self.currency
        return context


class MoneyField(forms.Field):
    """An amount typed in major units (300 or 300.50) and cleaned to minor units (30050).

    Accepts "300,50" as well as "300.50"; refuses more decimals than the currency has, negative
    amounts and anything that is not a finite number, with a message naming the currency.
    """

    default_error_messages = {
        "invalid": _("Enter an amount in %(currency)s, for example 300 or 300.50."),
        "precision": _("%(currency)s amounts have at most %(places)s decimal places."),
        "negative": _("Enter an amount of zero or more."),
        "too_large": _("Enter an amount under %(limit)s %(currency)s."),
    }
    max_minor = 2_000_000_000  # fits a PositiveIntegerField on every database

    def __init__(self, *, currency: str, **kwargs):
        self.currency = currency
        self.places = get_currency_precision(currency)
        kwargs.setdefault("widget", MoneyInput(currency))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(Decimal(value).scaleb(-self.places))
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        params = {"currency": self.currency, "places": self.places}
        text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], "invalid", params) from None
        if not amount.is_finite():
            raise ValidationError(self.error_messages["invalid"], "invalid", params)
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], "negative", params)
        minor = amount.scaleb(self.places)
        if minor != minor.to_integral_value():
            raise ValidationError(self.error_messages["precision"], "precision", params)
        if minor >= self.max_minor:
            limit = Decimal(self.max_minor).scaleb(-self.places)
            raise ValidationError(
                self.error_messages["too_large"], "too_large", {**params, "limit": limit}
            )
        return int(minor)


# Times ---------------------------------------------------------------------------------------


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in `tz` (the congress's zone), cleaned to aware UTC."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def __init__(self, *, tz: str, **kwargs):
        self.tz = zoneinfo.ZoneInfo(str(tz))
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        )
        kwargs.setdefault("help_text", _("Local time in %(zone)s.") % {"zone": str(tz)})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.tz).strftime("%Y-%m-%dT%H:%M")
        return value

    def to_python(self, value):
        with timezone.override(self.tz):
            return super().to_python(value)


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Canonical IANA zones grouped by area ("Europe" -> "Europe/Zurich")."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        area, _sep, place = name.partition("/")
        if not place or area in {"Etc", "SystemV", "US", "Brazil", "Canada", "Chile", "Mexico"}:
            continue
        groups.setdefault(area, []).append((name, place.replace("_", " ")))
    groups.setdefault("UTC", []).append(("UTC", "UTC"))
    return sorted(groups.items())


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        super().__init__(choices=time_zone_choices, **kwargs)


# Languages and countries ---------------------------------------------------------------------


class LanguagesField(forms.MultipleChoiceField):
    """Working languages as checkboxes; cleaned to a list in the site's language order."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Working languages"))
        super().__init__(choices=self._choices, **kwargs)

    @staticmethod
    def _choices():
        return [(code, language_name(code)) for code, _name in settings.WORKING_LANGUAGES]

    def clean(self, value):
        chosen = set(super().clean(value))
        return [code for code, _name in settings.WORKING_LANGUAGES if code in chosen]


def _sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def country_choices(*, grouped: bool = True):
    """Countries named in the active language, sorted by that name, grouped by region."""
    named = sorted(
        ((code, str(name)) for code, name in all_countries), key=lambda c: _sort_key(c[1])
    )
    if not grouped:
        return named
    groups = {region: [] for region in REGIONS}
    for code, name in named:
        groups.setdefault(region_of(code), []).append((code, name))
    choices = [(region_name(region), groups[region]) for region in REGIONS if groups[region]]
    return sorted(choices, key=lambda group: _sort_key(group[0]))


class CountryField(forms.ChoiceField):
    """One country from a translated, sorted list with an empty first choice (no default)."""

    def __init__(self, *, grouped: bool = False, **kwargs):
        self.grouped = grouped
        super().__init__(choices=self._choices, **kwargs)

    def _choices(self):
        return [("", "---------"), *country_choices(grouped=self.grouped)]


class CountriesField(forms.MultipleChoiceField):
    """Several countries as checkboxes grouped by region (a country group's members)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def clean(self, value):
        return sorted(set(super().clean(value)))


# Currencies ----------------------------------------------------------------------------------


def currency_choices() -> list[tuple[str, str]]:
    """Currencies in use today (in some country), named in the active language: "CHF — Swiss
    franc". Historic ones (French franc, ...) are left out."""
    from babel.numbers import get_currency_name, get_territory_currencies
    from django.utils import translation

    locale = (translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    codes = set()
    for country, _name in all_countries:
        codes.update(get_territory_currencies(country))
    named = [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in codes]
    return sorted(named)


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 currency from a list of the currencies in use, shown with its name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Currency"))
        super().__init__(choices=currency_choices, **kwargs)
