"""Forms of the congress's own settings pages: general settings and tracks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import (
    CountryField,
    CurrencyField,
    LanguagesField,
    TimeZoneField,
    TranslatedFieldsMixin,
)
from congress.models import Congress, Track


class CongressSettingsForm(TranslatedFieldsMixin, forms.ModelForm):
    """Name and description in each working language, dates, venue, zone, currency, languages.

    Creating a congress is the wizard's job; this edits one that exists.
    """

    translated_fields = {"name": "name_translations", "description": "description_translations"}

    timezone = TimeZoneField()
    currency = CurrencyField()
    working_languages = LanguagesField()
    country = CountryField(label=_("Country"))
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(
        label=_("Venue address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Congress
        fields = [
            "name",
            "description",
            "starts_on",
            "ends_on",
            "venue_name",
            "venue_address",
            "city",
            "country",
            "timezone",
            "currency",
            "working_languages",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.venue_id:
            self.initial.setdefault("venue_name", self.instance.venue.name)
            self.initial.setdefault("venue_address", self.instance.venue.address)
        self.fields["country"].initial = str(self.instance.country or "")
        self.initial["country"] = str(self.instance.country or "")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The congress cannot end before it starts."))
        return cleaned


class TrackForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": "name_translations", "description": "description_translations"}

    class Meta:
        model = Track
        fields = ["name", "description", "theme", "colour"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}


# Choices of a question (registration questions, call questions) -----------------------------


class ChoiceRowForm(forms.Form):
    """One choice of a question: its label in each working language. `value` (what answers
    store) is kept from the existing choice, or made from the label for a new one; organisers
    never see or type it."""

    value = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        from common.forms import TranslatedTextField

        self.fields["label"] = TranslatedTextField(
            languages=languages, max_length=200, label=_("Choice"), required=False
        )


class BaseChoiceFormSet(forms.BaseFormSet):
    """Choice rows in the order they were posted (`row_order`, the rows' prefixes as the
    drag-and-drop list left them); deleted and empty rows dropped."""

    def __init__(self, *args, languages, row_order=None, **kwargs):
        self.languages = list(languages)
        self.row_order = list(row_order or [])
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "languages": self.languages}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            languages=self.languages,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def ordered_rows(self) -> list[dict]:
        rows = [
            form
            for form in self.forms
            if form.cleaned_data.get("label") and not form.cleaned_data.get("DELETE")
        ]
        position = {prefix: index for index, prefix in enumerate(self.row_order)}
        rows.sort(key=lambda form: position.get(form.prefix, len(position)))
        return [form.cleaned_data for form in rows]


def choice_formset(*, languages, choices, translations_key: str, data=None, extra: int = 3):
    """The formset of a question's choices, filled from the stored `choices` list."""
    formset_class = forms.formset_factory(
        ChoiceRowForm, formset=BaseChoiceFormSet, extra=extra, can_delete=True
    )
    initial = []
    for choice in choices or []:
        texts = dict(choice.get(translations_key) or {})
        if choice.get("label") and not any(texts.values()):
            texts[languages[0]] = choice["label"]
        initial.append({"value": choice.get("value", ""), "label": texts})
    return formset_class(
        data,
        initial=initial,
        prefix="choices",
        languages=languages,
        row_order=data.getlist("row_order") if data is not None else None,
    )


def choices_from_rows(rows: list[dict], *, languages, translations_key: str) -> list[dict]:
    """Stored choices (`value`, canonical `label`, translations) from the formset's rows.

    New rows get a value made from their label, unique within the question; existing rows keep
    theirs, so answers already given still match.
    """
    from common.forms import canonical_text
    from congress.settings_services import unique_value

    taken = {row["value"] for row in rows if row.get("value")}
    choices = []
    for row in rows:
        label = canonical_text(row["label"], languages)
        value = row.get("value") or unique_value(label, taken)
        taken.add(value)
        choices.append({"value": value, "label": label, translations_key: row["label"]})
    return choices


def question_builder(
    request, *, congress: Congress, question, form_class, translations_key: str
) -> tuple[forms.ModelForm, forms.BaseFormSet]:
    """The question form and its choices' formset, bound on a POST (the registration
    questions and the calls' questions share the builder page)."""
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=question, congress=congress)
    formset = choice_formset(
        languages=congress.working_languages,
        choices=question.choices,
        translations_key=translations_key,
        data=data,
    )
    return form, formset


def apply_choices(
    form, formset, *, congress: Congress, translations_key: str, choice_kinds
) -> bool:
    """Put the formset's choices on the form's question (none unless its kind is one of
    `choice_kinds`); False, with the form's error, when something is invalid."""
    if not (form.is_valid() and formset.is_valid()):
        return False
    question = form.instance
    if question.kind in choice_kinds:
        question.choices = choices_from_rows(
            formset.ordered_rows(),
            languages=congress.working_languages,
            translations_key=translations_key,
        )
        if len(question.choices) < 2:
            form.add_error(None, _("A choice question needs at least two choices."))
            return False
    else:
        question.choices = []
    return True
