"""Browser test: an organiser sets up a congress from the backoffice alone (issue 12).

Tracks, rooms, a country group, two categories with fees (checking the live matrix), a
registration question with translated choices reordered by drag and drop, and a call with a
question; on a tablet-sized screen. Every URL the browser requests is recorded: none is under
/admin/.
"""

import pytest
from django.utils.translation import override as translation_override
from playwright.sync_api import expect

from cfp.models import CallForParticipation
from common.formatting import format_money
from congress.models import CongressRole, Track
from registrations.models import FeeRule, Question, RegistrationCategory
from sessions.models import Room
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def open_menu(page, label: str) -> None:
    # The organiser menu of the backoffice shell (the dashboard lists the same links).
    page.locator("nav").get_by_role("link", name=label, exact=True).first.click()
    page.wait_for_load_state()


def fill_languages(page, field: str, texts: dict[str, str]) -> None:
    for code, text in texts.items():
        page.fill(f"input[name={field}_{code}]", text)


def submit(page, selector: str = "#settings-form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def matrix_cell(page, row: str, column: int) -> str:
    cells = page.locator("#fee-matrix-table tbody tr", has_text=row).locator("td")
    return cells.nth(column).inner_text()


def test_organiser_sets_up_a_congress_without_the_admin(live_server, browser):
    congress = CongressFactory(
        name="World Congress 2029",
        currency="CHF",
        timezone="Europe/Zurich",
        working_languages=["en", "fr", "ar"],
    )
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    context = browser.new_context(locale="en-GB", viewport={"width": 820, "height": 1180})
    page = context.new_page()
    page.set_default_timeout(10_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, live_server, organiser.username)
    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/manage/")

    # Tracks
    open_menu(page, "Tracks")
    page.click("#add-object")
    page.wait_for_load_state()
    fill_languages(
        page, "name", {"en": "Drug policy", "fr": "Politique des drogues", "ar": "سياسة المخدرات"}
    )
    page.select_option("select[name=theme]", "drug_policy")
    page.fill("input[name=colour]", "#aa3300")
    submit(page)
    assert page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts() == ["Drug policy"]

    # Rooms
    open_menu(page, "Rooms")
    page.click("#add-object")
    page.wait_for_load_state()
    fill_languages(page, "name", {"en": "Room A", "fr": "Salle A", "ar": "القاعة أ"})
    page.fill("input[name=capacity]", "80")
    submit(page)
    assert page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts() == ["Room A"]

    # A country group, countries picked from the list grouped by region
    open_menu(page, "Country groups")
    page.click("#add-object")
    page.wait_for_load_state()
    fill_languages(page, "name", {"en": "Low income", "fr": "Revenu faible"})
    page.get_by_label("Chad", exact=True).check()
    page.get_by_label("Niger", exact=True).check()
    submit(page)
    assert page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts() == ["Chad, Niger"]

    # Two categories, each with fees; the matrix preview follows what is typed
    for name, fee in (("Participants", "300"), ("Delegates", "150.50")):
        open_menu(page, "Registration categories")
        page.click("#add-object")
        page.wait_for_load_state()
        fill_languages(page, "name", {"en": name, "fr": f"{name} (fr)", "ar": f"{name} (ar)"})
        page.select_option("select[name=kind]", "participant")
        page.fill("input[name=capacity]", "100")
        page.fill("input[name=opens_at]", "2029-01-10T09:00")
        submit(page)
        page.locator("#settings-rows tr", has_text=name).get_by_role("link", name="Fees").click()
        page.click("#add-fee")
        page.fill("input[name=amount_minor]", fee)
        expected = format_money(round(float(fee) * 100), "CHF")
        page.locator("#fee-matrix td", has_text=expected).first.wait_for()
        assert matrix_cell(page, "Every other country", 0) == expected
        submit(page, "#fee-rule-form button[type=submit]")
    page.click("#add-fee")
    page.select_option("select[name=country_group]", label="Low income")
    page.fill("input[name=amount_minor]", "20")
    page.locator("#fee-matrix td", has_text=format_money(2000, "CHF")).first.wait_for()
    assert [matrix_cell(page, "Low income", 0), matrix_cell(page, "Every other country", 0)] == [
        format_money(2000, "CHF"),
        format_money(15050, "CHF"),
    ]
    submit(page, "#fee-rule-form button[type=submit]")

    # A registration question with translated choices, reordered by drag and drop
    open_menu(page, "Registration questions")
    page.click("#add-object")
    page.wait_for_load_state()
    fill_languages(page, "label", {"en": "Dietary needs", "fr": "Régime", "ar": "النظام الغذائي"})
    page.select_option("select[name=kind]", "choice")
    for index, (en, fr, ar) in enumerate(
        (
            ("Vegetarian", "Végétarien", "نباتي"),
            ("Halal", "Halal", "حلال"),
            ("None", "Aucun", "لا شيء"),
        )
    ):
        fill_languages(page, f"choices-{index}-label", {"en": en, "fr": fr, "ar": ar})
    page.click("#add-choice")
    fill_languages(page, "choices-3-label", {"en": "Vegan", "fr": "Végétalien", "ar": "نباتي صرف"})
    preview_options = page.locator("#question-preview select option")
    page.locator("#question-preview select option", has_text="Vegan").wait_for(state="attached")
    assert preview_options.all_inner_texts() == ["—", "Vegetarian", "Halal", "None", "Vegan"]
    handles = page.locator(".choice-row .drag-handle")
    handles.nth(2).drag_to(handles.nth(0))
    expect(preview_options.nth(1)).to_have_text("None")
    assert preview_options.all_inner_texts() == ["—", "None", "Vegetarian", "Halal", "Vegan"]
    submit(page, "#question-form button[type=submit]")
    assert page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts() == ["Dietary needs"]

    # A call for participation with a question, from the CfP pages
    open_menu(page, "Calls for participation and reviews")
    page.click("#add-call")
    fill_languages(page, "title", {"en": "Call for workshops", "fr": "Appel à ateliers"})
    page.fill("input[name=opens_at]", "2028-09-01T09:00")
    page.fill("input[name=closes_at]", "2028-12-31T23:59")
    page.get_by_label("Workshop proposal", exact=True).check()
    page.get_by_label("Drug policy", exact=True).check()
    submit(page, "#settings-form button[type=submit]")
    page.locator("#calls tr", has_text="Call for workshops").get_by_role(
        "link", name="Questions"
    ).click()
    page.click("#add-object")
    page.wait_for_load_state()
    fill_languages(page, "label", {"en": "Your experience", "fr": "Votre expérience"})
    page.select_option("select[name=kind]", "long_text")
    submit(page, "#question-form button[type=submit]")
    assert page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts() == [
        "Your experience"
    ]
    context.close()

    assert list(Track.objects.filter(congress=congress).values_list("name", "colour")) == [
        ("Drug policy", "#aa3300")
    ]
    assert list(Room.objects.filter(congress=congress).values_list("name", "capacity")) == [
        ("Room A", 80)
    ]
    assert list(
        RegistrationCategory.objects.filter(congress=congress)
        .order_by("position", "pk")
        .values_list("name", flat=True)
    ) == ["Participants", "Delegates"]
    assert sorted(
        FeeRule.objects.filter(category__congress=congress).values_list("amount_minor", flat=True)
    ) == [2000, 15050, 30000]
    question = Question.objects.get(congress=congress)
    assert [(choice["label"], choice["translations"]["ar"]) for choice in question.choices] == [
        ("None", "لا شيء"),
        ("Vegetarian", "نباتي"),
        ("Halal", "حلال"),
        ("Vegan", "نباتي صرف"),
    ]
    call = CallForParticipation.objects.get(congress=congress)
    assert (call.title, list(call.questions.values_list("label", flat=True))) == (
        "Call for workshops",
        ["Your experience"],
    )
    assert [url for url in requested if "/admin/" in url] == []


def test_fee_matrix_preview_in_arabic_on_a_tablet(live_server, browser):
    from tests.factories.registrations import CountryGroupFactory, RegistrationCategoryFactory

    congress = CongressFactory(currency="CHF", working_languages=["ar", "fr", "en"])
    category = RegistrationCategoryFactory(congress=congress, name_translations={"ar": "مشاركون"})
    CountryGroupFactory(
        congress=congress, name="Low", name_translations={"ar": "دخل منخفض"}, countries=["TD"]
    )
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    context = browser.new_context(locale="ar", viewport={"width": 820, "height": 1180})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, organiser.username)

    page.goto(
        f"{live_server.url}/ar/congresses/{congress.slug}/manage/categories/{category.pk}/fees/add/"
    )
    page.select_option("select[name=country_group]", label="دخل منخفض")
    page.fill("input[name=amount_minor]", "20")
    row = page.locator("#fee-matrix-table tbody tr", has_text="دخل منخفض")
    with translation_override("ar"):
        expected = format_money(2000, "CHF")
    expect(row.locator("td").first).to_have_text(expected)

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert row.locator("td").all_inner_texts() == [expected, expected]
    context.close()
