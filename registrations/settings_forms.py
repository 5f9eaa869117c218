"""Forms of the registration settings pages: categories, country groups, fee rules,
vouchers, bank details and letters, and the registration questions' builder.

Every choice lists only the congress's own objects; money is typed in major units of the
congress's currency; times in its time zone; translatable text one input per language.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import (
    CountriesField,
    LocalDateTimeField,
    MoneyField,
    TranslatedFieldsMixin,
)
from common.i18n import localized
from congress.models import Congress
from members.models import Organisation
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    RegistrationCategory,
    RegistrationSettings,
    VisaLetterRequest,
    Voucher,
)

SIGNATURE_MAX_BYTES = 1024 * 1024
SIGNATURE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
# Consulates read French or English; another language stays offered once it is stored.
VISA_LETTER_LANGUAGES = ("fr", "en")


class CategoryForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": "name_translations"}

    class Meta:
        model = RegistrationCategory
        fields = [
            "name",
            "kind",
            "capacity",
            "requires_approval",
            "is_online",
            "opens_at",
            "closes_at",
            "colour",
            "access",
            "access_code",
        ]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name] = LocalDateTimeField(
                tz=congress.timezone,
                required=False,
                label=RegistrationCategory._meta.get_field(name).verbose_name.capitalize(),
            )

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("Registration must close after it opens."))
        access = cleaned.get("access")
        if access == RegistrationCategory.Access.ACCESS_CODE and not cleaned.get("access_code"):
            self.add_error("access_code", _("A hidden category needs the code registrants type."))
        return cleaned


class CountryGroupForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": "name_translations"}
    countries = CountriesField(label=_("Countries"), required=False)

    class Meta:
        model = CountryGroup
        fields = ["name", "countries"]

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
        self.congress = congress

    def clean_countries(self):
        countries = self.cleaned_data["countries"]
        others = CountryGroup.objects.filter(congress=self.congress).exclude(pk=self.instance.pk)
        claimed = {country: group.name for group in others for country in group.countries or []}
        clashes = sorted(claimed[country] for country in countries if country in claimed)
        if clashes:
            from django_countries import countries as names

            taken = [
                f"{names.name(country)} ({claimed[country]})"
                for country in countries
                if country in claimed
            ]
            raise forms.ValidationError(
                _("A country belongs to one group only. Already in another group: %(list)s."),
                params={"list": ", ".join(taken)},
            )
        return countries


class _GroupChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: CountryGroup) -> str:
        return localized(obj.name, obj.name_translations)


class FeeRuleForm(forms.ModelForm):
    """A fee of one category for a country group (or every country), member rate or not."""

    class Meta:
        model = FeeRule
        fields = ["country_group", "is_member_rate"]
        labels = {"is_member_rate": _("Member rate (members of the organising network only)")}

    def __init__(self, *args, category: RegistrationCategory, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.fields["country_group"] = _GroupChoice(
            queryset=CountryGroup.objects.filter(congress=congress).order_by("name"),
            required=False,
            empty_label=_("Every country"),
            label=_("Country group"),
        )
        self.fields["amount_minor"] = MoneyField(currency=congress.currency, label=_("Fee"))
        self.fields["early_bird_amount_minor"] = MoneyField(
            currency=congress.currency, label=_("Early-bird fee"), required=False
        )
        self.fields["early_bird_until"] = LocalDateTimeField(
            tz=congress.timezone, label=_("Early bird until"), required=False
        )
        for name in ("amount_minor", "early_bird_amount_minor", "early_bird_until"):
            self.initial.setdefault(name, getattr(self.instance, name))

    def clean(self):
        cleaned = super().clean()
        has_amount = cleaned.get("early_bird_amount_minor") is not None
        has_date = cleaned.get("early_bird_until") is not None
        if has_amount != has_date:
            self.add_error(
                "early_bird_until" if has_amount else "early_bird_amount_minor",
                _("Give both the early-bird fee and its last day, or neither."),
            )
        same_scope = FeeRule.objects.filter(
            category=self.category,
            country_group=cleaned.get("country_group"),
            is_member_rate=bool(cleaned.get("is_member_rate")),
        ).exclude(pk=self.instance.pk)
        if "country_group" in cleaned and same_scope.exists():
            raise forms.ValidationError(
                _("A fee for this country group and rate exists already: edit that one instead.")
            )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        for name in ("amount_minor", "early_bird_amount_minor", "early_bird_until"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        self.instance.category = self.category


def _organisations_for(congress: Congress):
    organisations = Organisation.objects.order_by("name")
    if congress.network_id:
        organisations = organisations.filter(memberships__network_id=congress.network_id)
    return organisations.distinct()


class VoucherForm(forms.ModelForm):
    """A voucher: its code, the discount (an amount, a percentage or a full waiver), how many
    times and when it may be used, and optionally the one organisation it is reserved for."""

    discount_amount = forms.Field(required=False)
    discount_percent = forms.IntegerField(
        label=_("Discount (percent)"), min_value=1, max_value=100, required=False
    )

    class Meta:
        model = Voucher
        fields = [
            "code",
            "kind",
            "discount_amount",
            "discount_percent",
            "usage_limit",
            "valid_from",
            "valid_until",
            "organisation",
        ]
        help_texts = {"code": _("What participants type; letters and digits, any case.")}

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discount_amount"] = MoneyField(
            currency=congress.currency, label=_("Discount (amount)"), required=False
        )
        for name in ("valid_from", "valid_until"):
            self.fields[name] = LocalDateTimeField(
                tz=congress.timezone,
                required=False,
                label=Voucher._meta.get_field(name).verbose_name.capitalize(),
            )
        self.fields["organisation"].queryset = _organisations_for(congress)
        self.fields["organisation"].required = False
        if self.instance.pk:
            if self.instance.kind == Voucher.Kind.FIXED:
                self.initial["discount_amount"] = self.instance.value
            elif self.instance.kind == Voucher.Kind.PERCENT:
                self.initial["discount_percent"] = self.instance.value

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Voucher.Kind.FIXED:
            if not cleaned.get("discount_amount"):
                self.add_error("discount_amount", _("Enter the discount amount."))
            self.instance.value = cleaned.get("discount_amount") or 0
        elif kind == Voucher.Kind.PERCENT:
            if not cleaned.get("discount_percent"):
                self.add_error("discount_percent", _("Enter the discount in percent (1 to 100)."))
            self.instance.value = cleaned.get("discount_percent") or 0
        else:
            self.instance.value = 0
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until <= valid_from:
            self.add_error("valid_until", _("The end of validity must come after its start."))
        if cleaned.get("usage_limit") is not None and cleaned["usage_limit"] < (
            self.instance.times_used or 0
        ):
            self.add_error(
                "usage_limit",
                _("This voucher was used %(count)s times already: the limit cannot be lower.")
                % {"count": self.instance.times_used},
            )
        return cleaned


class LettersForm(forms.ModelForm):
    """Bank details for bank-transfer instructions, the letterhead of receipts and letters,
    and the visa letters' signatory (name, title, signature image)."""

    remove_signature = forms.BooleanField(label=_("Remove the signature image"), required=False)
    visa_costs_covered = forms.MultipleChoiceField(
        label=_("Costs the organisers cover"),
        choices=VisaLetterRequest.Cost.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Printed on every visa letter; the participant covers the costs left unticked."
        ),
    )

    class Meta:
        model = RegistrationSettings
        fields = [
            "bank_account_holder",
            "bank_iban",
            "bank_bic",
            "letterhead",
            "letter_signatory",
            "letter_signatory_title",
            "signature_image",
            "remove_signature",
            "visa_letter_language",
            "visa_costs_covered",
        ]
        widgets = {"signature_image": forms.FileInput(attrs={"accept": "image/png,image/jpeg"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.visa_letter_language
        language = self.fields["visa_letter_language"]
        language.choices = [
            (code, name)
            for code, name in settings.LANGUAGES
            if code in VISA_LETTER_LANGUAGES or code == current
        ]

    def clean_visa_costs_covered(self):
        chosen = set(self.cleaned_data["visa_costs_covered"])
        # Stored in the codes' own order, so the letter lists the costs the same way each time.
        return [code for code in VisaLetterRequest.Cost.values if code in chosen]

    def clean_bank_iban(self):
        iban = self.cleaned_data["bank_iban"].replace(" ", "").upper()
        if iban and not _iban_is_valid(iban):
            raise forms.ValidationError(_("This IBAN is not valid: check it for typing errors."))
        return iban

    def clean_signature_image(self):
        upload = self.cleaned_data.get("signature_image")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged
        if upload.size > SIGNATURE_MAX_BYTES:
            raise forms.ValidationError(
                _("The signature image must be 1 MB or smaller."), code="too_large"
            )
        if _image_format(upload) not in SIGNATURE_TYPES:
            raise forms.ValidationError(
                _("Upload the signature as a PNG or JPEG image."), code="image_type"
            )
        return upload


def _iban_is_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97), country code and length 15 to 34."""
    if not (15 <= len(iban) <= 34) or not iban[:2].isalpha() or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def _image_format(upload) -> str | None:
    """The image's real format (read from its content, not its name), or None."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return found


class _CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: RegistrationCategory) -> str:
        return localized(obj.name, obj.name_translations)


class QuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    """A registration question: label per language, type, required, the categories it is
    asked in (this congress's only). Its choices are a formset beside it."""

    translated_fields = {"label": "label_translations"}

    class Meta:
        model = Question
        fields = ["label", "kind", "is_required", "categories"]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
        self.fields["categories"] = _CategoryChoice(
            queryset=RegistrationCategory.objects.filter(congress=congress).order_by(
                "position", "name"
            ),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=Question._meta.get_field("categories").verbose_name.capitalize(),
            help_text=Question._meta.get_field("categories").help_text,
        )
