import pytest

from registrations.models import Registration
from tests.factories.congress import CongressFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_arabic_speaker_registers_on_a_phone_up_to_the_confirmation_page(live_server, browser):
    congress = CongressFactory(name="World Congress", name_translations={"ar": "المؤتمر العالمي"})
    category = RegistrationCategoryFactory(
        congress=congress, name="Participant", name_translations={"ar": "مشارك"}
    )
    FeeRuleFactory(category=category, amount_minor=12000)
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/ar/congresses/{congress.slug}/register/")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_name", "ليلى حداد")
    page.fill("#id_latin_name", "Layla Haddad")
    page.fill("#id_email", "layla@example.org")
    page.select_option("#id_country", "JO")
    page.select_option("#id_language", "ar")
    page.check("input[name=payment_method][value=transfer]")
    page.check("#id_consent")
    page.locator("[data-testid=fee-amount]").filter(has_text="120").wait_for()
    page.click("[data-testid=register-submit]")
    page.wait_for_url(f"{live_server.url}/ar/registration/**")

    registration = Registration.objects.get()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("[data-testid=registration-status]").get_attribute("data-status") == (
        "pending_payment"
    )
    assert page.locator("[data-testid=payment-reference]").inner_text() == (
        registration.payment_reference
    )
    assert "ليلى حداد" in page.locator("body").inner_text()
    assert registration.person.name == "ليلى حداد"
    context.close()


def test_registration_form_in_arabic_shows_field_errors_and_keeps_input(live_server, page):
    congress = CongressFactory()
    category = RegistrationCategoryFactory(congress=congress)

    page.goto(f"{live_server.url}/ar/congresses/{congress.slug}/register/")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_name", "ليلى حداد")
    page.fill("#id_email", "not-an-email")
    page.click("[data-testid=register-submit]")

    assert (
        page.locator("#field-email .errorlist").inner_text()
        == "يرجى إدخال عنوان بريد إلكتروني صحيح."
    )
    assert page.input_value("#id_name") == "ليلى حداد"
    assert Registration.objects.count() == 0
