from datetime import UTC, datetime

import pytest
from django import forms
from django.utils import translation

from common.forms import (
    CountriesField,
    CountryField,
    LanguagesField,
    LocalDateTimeField,
    MoneyField,
    TimeZoneField,
    TranslatedFieldsMixin,
    TranslatedTextField,
)
from congress.models import Track


class TranslatedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"] = TranslatedTextField(languages=["fr", "en", "ar"], max_length=10)


def test_translated_text_field_renders_one_input_per_language():
    html = str(TranslatedForm()["title"])

    assert [html.count(f'name="title_{code}"') for code in ("fr", "en", "ar")] == [1, 1, 1]
    assert 'lang="ar"' in html  # each input says its language, so the browser picks the script


def test_translated_text_field_cleans_to_a_dict_of_filled_languages():
    form = TranslatedForm(data={"title_fr": " Atelier ", "title_en": "", "title_ar": "ورشة"})

    assert form.is_valid()
    assert form.cleaned_data["title"] == {"fr": "Atelier", "ar": "ورشة"}


def test_translated_text_field_requires_the_first_language_and_names_it():
    form = TranslatedForm(data={"title_fr": "", "title_en": "Workshop", "title_ar": ""})

    assert not form.is_valid()
    assert form.errors["title"] == ["Enter the text in French at least."]


def test_translated_text_field_checks_the_length_of_each_language():
    form = TranslatedForm(data={"title_fr": "x" * 11, "title_en": "", "title_ar": ""})

    assert not form.is_valid()
    assert form.errors["title"] == ["Ensure this value has at most 10 characters (it has 11)."]


class TrackForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": "name_translations"}

    class Meta:
        model = Track
        fields = ["name", "slug", "theme"]


@pytest.mark.django_db
def test_translated_fields_mixin_saves_canonical_text_and_translations(congress):
    form = TrackForm(
        data={
            "name_en": "Media",
            "name_fr": "Médias",
            "name_ar": "الإعلام",
            "slug": "media",
            "theme": "media",
        },
        instance=Track(congress=congress),
        languages=["en", "fr", "ar"],
    )

    assert form.is_valid(), form.errors
    track = form.save()

    track.refresh_from_db()
    assert (track.name, track.name_translations) == (
        "Media",
        {"en": "Media", "fr": "Médias", "ar": "الإعلام"},
    )


@pytest.mark.django_db
def test_translated_fields_mixin_shows_the_saved_texts(congress):
    track = Track.objects.create(
        congress=congress,
        name="Media",
        slug="media",
        theme="media",
        name_translations={"fr": "Médias"},
    )

    html = str(TrackForm(instance=track, languages=["en", "fr"])["name"])

    assert ('value="Médias"' in html, 'value="Media"' in html) == (True, False)


@pytest.mark.parametrize(
    ("currency", "typed", "minor"),
    [
        ("CHF", "300", 30000),
        ("CHF", "300.50", 30050),
        ("EUR", "1234,56", 123456),
        ("JPY", "5000", 5000),
        ("TND", "12.345", 12345),
    ],
)
def test_money_field_cleans_major_units_to_minor_units(currency, typed, minor):
    assert MoneyField(currency=currency).clean(typed) == minor


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount in CHF, for example 300 or 300.50."),
        ("NaN", "Enter an amount in CHF, for example 300 or 300.50."),
        ("Infinity", "Enter an amount in CHF, for example 300 or 300.50."),
        ("1e400", "Enter an amount under 20000000.00 CHF."),
        ("1.005", "CHF amounts have at most 2 decimal places."),
        ("-5", "Enter an amount of zero or more."),
    ],
)
def test_money_field_refuses_bad_amounts_with_a_clear_message(typed, message):
    with pytest.raises(forms.ValidationError) as error:
        MoneyField(currency="CHF").clean(typed)

    assert error.value.messages == [message]


def test_money_field_shows_stored_minor_units_as_major_units_with_the_currency():
    class FeeForm(forms.Form):
        fee = MoneyField(currency="CHF")

    html = str(FeeForm(initial={"fee": 30000})["fee"])

    assert ('value="300.00"' in html, ">CHF<" in html) == (True, True)


def test_local_datetime_field_reads_the_congress_time_zone():
    field = LocalDateTimeField(tz="Europe/Zurich")

    value = field.clean("2029-06-10T09:00")

    assert value == datetime(2029, 6, 10, 7, 0, tzinfo=UTC)


def test_local_datetime_field_shows_the_congress_time_zone():
    field = LocalDateTimeField(tz="Europe/Zurich")

    assert field.prepare_value(datetime(2029, 6, 10, 7, 0, tzinfo=UTC)) == "2029-06-10T09:00"


def test_local_datetime_field_refuses_a_time_skipped_by_daylight_saving():
    with pytest.raises(forms.ValidationError):
        LocalDateTimeField(tz="Europe/Zurich").clean("2029-03-25T02:30")


def test_time_zone_field_lists_zones_by_area():
    field = TimeZoneField()

    groups = dict(field.choices)

    assert ("Europe/Zurich", "Zurich") in groups["Europe"]
    assert field.clean("Africa/Tunis") == "Africa/Tunis"


def test_languages_field_keeps_the_site_order():
    assert LanguagesField().clean(["ar", "en", "fr"]) == ["en", "fr", "ar"]


def test_country_field_is_translated_sorted_and_has_no_default():
    with translation.override("fr"):
        choices = list(CountryField().choices)

    assert choices[0] == ("", "---------")
    assert choices[1:3] == [("AF", "Afghanistan"), ("ZA", "Afrique du Sud")]


def test_countries_field_groups_countries_by_region_in_the_active_language():
    with translation.override("ar"):
        groups = dict(CountriesField().choices)

    assert sorted(groups) == sorted(["أفريقيا", "الأمريكتان", "آسيا", "أوروبا", "أوقيانوسيا"])
    assert ("MA", "المغرب") in groups["أفريقيا"]


def test_translated_fields_mixin_labels_start_with_a_capital_like_django_model_fields():
    # The session form's fieldsets read "title" and "description" (the verbose names as is).
    form = TrackForm(instance=Track(), languages=["en", "fr"])

    assert str(form["name"].label) == "Name"
