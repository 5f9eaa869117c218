"""Registration settings pages: categories, country groups, vouchers, bank details and letters."""

import datetime
import io

import pytest
from PIL import Image

from congress.models import CongressRole
from registrations.models import CountryGroup, RegistrationCategory, RegistrationSettings, Voucher
from tests.backoffice_html import errors, input_value, table_rows, texts
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def category_data(**extra):
    data = {
        "name_en": "Delegates",
        "name_fr": "Délégués",
        "name_ar": "المندوبون",
        "kind": "delegate",
        "capacity": "120",
        "requires_approval": "on",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-05-31T18:00",
        "colour": "#225588",
    }
    return {**data, **extra}


def test_add_category_stores_local_times_as_utc(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/categories/add/", category_data()
    )

    category = RegistrationCategory.objects.get(congress=congress)
    assert response.status_code == 302
    assert (category.code, category.name, category.capacity, category.requires_approval) == (
        "delegates",
        "Delegates",
        120,
        True,
    )
    assert category.name_translations == {"en": "Delegates", "fr": "Délégués", "ar": "المندوبون"}
    # Europe/Paris: 09:00 in January is 08:00 UTC, 18:00 in May is 16:00 UTC.
    assert (category.opens_at, category.closes_at) == (
        datetime.datetime(2027, 1, 10, 8, 0, tzinfo=UTC),
        datetime.datetime(2027, 5, 31, 16, 0, tzinfo=UTC),
    )


def test_category_closing_before_opening_is_refused_and_keeps_the_input(
    client, congress, organiser
):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/categories/add/",
        category_data(closes_at="2027-01-01T09:00"),
    )

    assert errors(response) == ["Registration must close after it opens."]
    assert input_value(response, "name_ar") == "المندوبون"
    assert RegistrationCategory.objects.count() == 0


def test_hidden_category_is_saved_with_its_code(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/categories/add/",
        category_data(access="access_code", access_code=" press2029 "),
    )

    category = RegistrationCategory.objects.get(congress=congress)
    assert (category.access, category.access_code) == ("access_code", "PRESS2029")


def test_hidden_category_without_a_code_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/categories/add/",
        category_data(access="access_code"),
    )

    assert errors(response) == ["A hidden category needs the code registrants type."]
    assert RegistrationCategory.objects.count() == 0


def test_category_list_shows_local_times_and_fee_count(client, congress, organiser):
    category = RegistrationCategoryFactory(
        congress=congress,
        name="Press",
        capacity=None,
        opens_at=datetime.datetime(2027, 1, 10, 8, 0, tzinfo=UTC),
    )
    FeeRuleFactory(category=category)
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/categories/")

    assert table_rows(response, "settings-table") == [
        [
            "⠿",
            "Press",
            "Participant",
            "Unlimited",
            "No",
            "Jan. 10, 2027, 9 a.m.",
            "—",
            "Fees (1)",
            "Edit · Delete",
        ]
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_category_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for category in RegistrationCategoryFactory.create_batch(count, congress=congress):
        FeeRuleFactory(category=category)
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(f"/en/congresses/{congress.slug}/manage/categories/")

    assert len(table_rows(response, "settings-table")) == count


def test_deleting_a_category_with_registrations_is_refused(client, congress, organiser):
    category = RegistrationCategoryFactory(congress=congress, name="Delegates")
    RegistrationFactory(congress=congress, category=category)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/categories/{category.pk}/delete/", follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Delegates cannot be deleted: registrations, sessions or other records still use it."
    ]
    assert RegistrationCategory.objects.filter(pk=category.pk).exists()


@pytest.mark.parametrize(
    "role", [CongressRole.Role.REVIEWER, CongressRole.Role.CHECKIN_STAFF, "other_organiser"]
)
def test_registration_settings_pages_are_404_for_non_organisers(client, congress, role):
    if role == "other_organiser":
        user = CongressRoleFactory(congress=CongressFactory()).user
    else:
        user = CongressRoleFactory(congress=congress, role=role).user
    category = RegistrationCategoryFactory(congress=congress)
    client.force_login(user)
    base = f"/en/congresses/{congress.slug}/manage"

    codes = [
        client.get(f"{base}/{path}").status_code
        for path in (
            "categories/",
            "country-groups/",
            "vouchers/",
            "questions/",
            "letters/",
            f"categories/{category.pk}/fees/",
        )
    ]

    assert codes == [404] * 6


def test_add_country_group_with_countries_from_the_list(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/country-groups/add/",
        {
            "name_en": "Low income",
            "name_fr": "Revenu faible",
            "name_ar": "",
            "countries": ["TD", "NE", "ML"],
        },
    )

    group = CountryGroup.objects.get(congress=congress)
    assert (group.code, group.name, group.countries) == (
        "low-income",
        "Low income",
        ["ML", "NE", "TD"],
    )


def test_country_in_two_groups_is_refused(client, congress, organiser):
    CountryGroupFactory(congress=congress, name="Low income", countries=["TD"])
    CountryGroupFactory(congress=CongressFactory(), name="Elsewhere", countries=["NE"])
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/country-groups/add/",
        {"name_en": "Sahel", "countries": ["TD", "NE"]},
    )

    assert errors(response) == [
        "A country belongs to one group only. Already in another group: Chad (Low income)."
    ]


def test_country_group_list_names_countries_in_the_reader_language(client, congress, organiser):
    CountryGroupFactory(congress=congress, name="Maghreb", countries=["MA", "DZ"])
    client.force_login(organiser)

    response = client.get(f"/fr/congresses/{congress.slug}/manage/country-groups/")

    assert table_rows(response, "settings-table")[0][:2] == ["Maghreb", "Algérie, Maroc"]


@pytest.mark.parametrize("count", [1, 5])
def test_country_group_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    CountryGroupFactory.create_batch(count, congress=congress, countries=["FR"])
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(f"/en/congresses/{congress.slug}/manage/country-groups/")

    assert len(table_rows(response, "settings-table")) == count


def test_add_fixed_voucher_in_major_units(client, congress, organiser):
    organisation = OrganisationFactory(name="ECPM")
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/vouchers/add/",
        {
            "code": "scholar27",
            "kind": "fixed",
            "discount_amount": "150.50",
            "usage_limit": "10",
            "valid_from": "2027-01-01T00:00",
            "valid_until": "2027-03-01T00:00",
            "organisation": organisation.pk,
        },
    )

    voucher = Voucher.objects.get(congress=congress)
    assert (voucher.code, voucher.value, voucher.usage_limit, voucher.organisation) == (
        "SCHOLAR27",
        15050,
        10,
        organisation,
    )
    assert voucher.valid_from == datetime.datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_voucher_code_used_twice_in_any_case_is_refused(client, congress, organiser):
    VoucherFactory(congress=congress, code="PRESS")
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/vouchers/add/",
        {"code": "press", "kind": "waiver"},
    )

    assert errors(response) == ["Voucher with this Congress and Code already exists."]
    assert Voucher.objects.filter(congress=congress).count() == 1


def test_voucher_percent_needs_a_percentage(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/vouchers/add/", {"code": "HALF", "kind": "percent"}
    )

    assert errors(response) == ["Enter the discount in percent (1 to 100)."]


def test_voucher_list_shows_money_uses_and_organisation(client, congress, organiser):
    VoucherFactory(
        congress=congress,
        code="NGO",
        kind=Voucher.Kind.FIXED,
        value=5000,
        usage_limit=10,
        times_used=3,
        organisation=OrganisationFactory(name="ECPM"),
    )
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/vouchers/")

    assert table_rows(response, "settings-table") == [
        ["NGO", "€50.00", "3 / 10", "— to —", "ECPM", "Edit · Delete"]
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_voucher_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    VoucherFactory.create_batch(count, congress=congress, organisation=OrganisationFactory())
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(f"/en/congresses/{congress.slug}/manage/vouchers/")

    assert len(table_rows(response, "settings-table")) == count


def png_bytes(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


def letters_data(**extra):
    data = {
        "bank_account_holder": "ECPM",
        "bank_iban": "CH93 0076 2011 6238 5295 7",
        "bank_bic": "POFICHBEXXX",
        "letterhead": "Together against the death penalty",
        "letter_signatory": "Raphaël Chenuil-Hazan",
        "letter_signatory_title": "Executive Director",
        "visa_letter_language": "en",
    }
    return {**data, **extra}


def test_letters_settings_store_visa_language_and_costs_covered(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(visa_letter_language="fr", visa_costs_covered=["travel", "registration"]),
    )

    settings = RegistrationSettings.objects.get(congress=congress)
    assert (settings.visa_letter_language, settings.visa_costs_covered) == (
        "fr",
        ["registration", "travel"],
    )


def test_letters_page_offers_french_and_english_and_labelled_cost_checkboxes(
    client, congress, organiser
):
    client.force_login(organiser)

    response = client.get(f"/fr/congresses/{congress.slug}/manage/letters/")

    languages = texts(response, "//select[@name='visa_letter_language']/option")
    costs = texts(response, "//*[@id='id_visa_costs_covered']//label")
    assert (languages, costs) == (
        ["Anglais", "Français"],
        ["frais d'inscription", "voyage", "hébergement", "repas"],
    )


def test_unknown_visa_letter_language_or_cost_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(visa_letter_language="de", visa_costs_covered=["visa"]),
    )

    assert errors(response) == [
        "Select a valid choice. de is not one of the available choices.",
        "Select a valid choice. visa is not one of the available choices.",
    ]
    assert RegistrationSettings.objects.get(congress=congress).visa_costs_covered == []


def test_letters_settings_store_bank_details_and_signature(client, congress, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(signature_image=SimpleUploadedFile("sig.png", png_bytes(), "image/png")),
    )
    image = client.get(f"/en/congresses/{congress.slug}/manage/letters/signature/")

    settings = RegistrationSettings.objects.get(congress=congress)
    assert (settings.bank_iban, settings.letter_signatory_title) == (
        "CH9300762011623852957",
        "Executive Director",
    )
    assert (image["Content-Type"], b"".join(image.streaming_content)) == ("image/png", png_bytes())


def test_signature_that_is_not_an_image_is_refused(client, congress, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(signature_image=SimpleUploadedFile("sig.png", b"%PDF-1.4 fake", "image/png")),
    )

    assert errors(response) == ["Upload the signature as a PNG or JPEG image."]
    assert not RegistrationSettings.objects.get(congress=congress).signature_image


def test_signature_over_one_megabyte_is_refused(client, congress, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(organiser)
    big = png_bytes() + b"\0" * (1024 * 1024)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(signature_image=SimpleUploadedFile("sig.png", big, "image/png")),
    )

    assert errors(response) == ["The signature image must be 1 MB or smaller."]


def test_mistyped_iban_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/letters/",
        letters_data(bank_iban="CH93 0076 2011 6238 5295 8"),
    )

    assert errors(response) == ["This IBAN is not valid: check it for typing errors."]


def test_voucher_reserved_organisation_lists_only_the_network_members(client, organiser):
    from tests.factories.members import MembershipFactory, NetworkFactory

    congress = organiser.congress_roles.get().congress
    congress.network = NetworkFactory()
    congress.save()
    member = MembershipFactory(network=congress.network, organisation__name="ECPM").organisation
    MembershipFactory(organisation__name="Other network's member")
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/vouchers/add/")

    choices = response.context["form"].fields["organisation"].choices
    assert [(value, label) for value, label in choices][1:] == [(member.pk, "ECPM")]


def test_delete_asks_for_confirmation_first(client, congress, organiser):
    voucher = VoucherFactory(congress=congress, code="PRESS")
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/vouchers/{voucher.pk}/delete/")

    assert " ".join(texts(response, "//h1")) == "Delete PRESS?"
    assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_category_marked_online_is_saved(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/categories/add/",
        category_data(is_online="on"),
    )

    category = RegistrationCategory.objects.get(congress=congress)
    assert category.is_online is True
