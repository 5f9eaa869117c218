"""Issue 12, "Done when": a whole congress built in the browser, without the Django admin.

A network administrator creates a congress in three languages and invites an organiser who
accepts; the organiser builds tracks, rooms, a country group, two categories with fee rules
(reading the fee matrix preview), a registration question with translated choices, a call with
a question, invites a reviewer from the team page (who accepts and is assigned automatically
once a proposal exists), places a session on the timetable and moves it by drag and drop,
previews and saves a badge template, and opens registration; a participant then registers in
Arabic and is charged the matrix preview's figure. Every URL any of the four browsers visits
is recorded: none is under /admin/.
"""

import re

import pytest
from django.core import mail
from django.utils.translation import override as translation_override
from playwright.sync_api import expect

from badges.models import BadgeTemplate
from cfp.models import CallForParticipation, ReviewAssignment
from common.formatting import format_money
from congress.models import Congress, CongressRole
from registrations.models import Registration
from registrations.opening import opening_state
from sessions.models import Session
from tests.e2e.test_backoffice_core import fill_wizard
from tests.e2e.test_timetable_editor import _drag
from tests.factories.cfp import SubmissionFactory
from tests.factories.members import NetworkAdministratorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
ORGANISER_PASSWORD = "a long and unusual passphrase 42"
REVIEWER_PASSWORD = "another rather unusual passphrase 7"
SLUG = "world-congress-2029"
TABLET = {"width": 1280, "height": 1000}


def new_page(browser, visited: list[str], *, locale: str = "en-GB", viewport=None):
    """A fresh browser (own cookies) whose every navigation and request lands in `visited`."""
    context = browser.new_context(locale=locale, viewport=viewport or TABLET)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("request", lambda request: visited.append(request.url))
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    return page


def accept_invitation(browser, visited: list[str], password: str):
    """Open the one-time link of the last e-mail sent and choose a password."""
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page = new_page(browser, visited)
    page.goto(link)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    with page.expect_navigation():
        page.click("#accept-form button[type=submit]")
    return page


def open_menu(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("nav").get_by_role("link", name=label, exact=True).first.click()


def submit(page, selector: str = "#settings-form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def add_object(page) -> None:
    with page.expect_navigation():
        page.click("#add-object")


def fill_languages(page, field: str, texts: dict[str, str]) -> None:
    for code, text in texts.items():
        page.fill(f"input[name={field}_{code}]", text)


def rows(page) -> list[str]:
    return page.locator("#settings-rows tr td:nth-child(2)").all_inner_texts()


def matrix_cell(page, row: str, column: str) -> str:
    headers = page.locator("#fee-matrix-table thead th").all_inner_texts()
    cells = page.locator("#fee-matrix-table tbody tr", has_text=row).locator("td")
    return cells.nth(headers.index(column) - 1).inner_text()


def test_whole_congress_from_the_backoffice_then_an_arabic_registration(live_server, browser):
    NetworkAdministratorFactory(user__username="netadmin")
    visited: list[str] = []

    # The network administrator creates the congress and invites an organiser.
    admin = new_page(browser, visited)
    admin.goto(f"{live_server.url}/en/accounts/login/?next=/en/backoffice/")
    admin.fill("#id_username", "netadmin")
    admin.fill("#id_password", PASSWORD)
    with admin.expect_navigation():
        admin.click("main form button[type=submit]")
    with admin.expect_navigation():
        admin.get_by_role("link", name="Create a congress").click()
    fill_wizard(admin)
    admin.wait_for_url(re.compile(rf".*/congresses/{SLUG}/manage/$"))
    open_menu(admin, "Team and roles")
    admin.fill("#id_email", "organiser2029@example.org")
    admin.check("input[name=roles][value=organiser]")
    submit(admin, "#invite-form button[type=submit]")
    admin.context.close()

    # The organiser accepts and lands on the dashboard, signed in.
    page = accept_invitation(browser, visited, ORGANISER_PASSWORD)
    assert page.url == f"{live_server.url}/en/congresses/{SLUG}/manage/"

    # Tracks and rooms
    open_menu(page, "Tracks")
    add_object(page)
    fill_languages(
        page, "name", {"en": "Drug policy", "fr": "Politique des drogues", "ar": "سياسة المخدرات"}
    )
    page.select_option("select[name=theme]", "drug_policy")
    page.fill("input[name=colour]", "#aa3300")
    submit(page)
    assert rows(page) == ["Drug policy"]
    open_menu(page, "Rooms")
    add_object(page)
    fill_languages(page, "name", {"en": "Room A", "fr": "Salle A", "ar": "القاعة أ"})
    page.fill("input[name=capacity]", "80")
    submit(page)
    assert rows(page) == ["Room A"]

    # A country group, then two categories with fees; the matrix preview gives the figure.
    open_menu(page, "Country groups")
    add_object(page)
    fill_languages(page, "name", {"en": "Low income", "fr": "Revenu faible", "ar": "دخل منخفض"})
    page.get_by_label("Chad", exact=True).check()
    page.get_by_label("Niger", exact=True).check()
    submit(page)
    assert rows(page) == ["Chad, Niger"]
    for name, arabic, fee in (("Participants", "مشاركون", "300"), ("Delegates", "مندوبون", "150")):
        open_menu(page, "Registration categories")
        add_object(page)
        fill_languages(page, "name", {"en": name, "fr": f"{name} (fr)", "ar": arabic})
        page.select_option("select[name=kind]", "participant")
        page.fill("input[name=capacity]", "100")
        page.fill("input[name=opens_at]", "2029-01-10T09:00")
        submit(page)
        with page.expect_navigation():
            page.locator("#settings-rows tr", has_text=name).get_by_role(
                "link", name="Fees"
            ).click()
        page.click("#add-fee")
        page.fill("input[name=amount_minor]", fee)
        expected = format_money(int(fee) * 100, "CHF")
        page.locator("#fee-matrix td", has_text=expected).first.wait_for()
        submit(page, "#fee-rule-form button[type=submit]")
    page.click("#add-fee")
    page.select_option("select[name=country_group]", label="Low income")
    page.fill("input[name=amount_minor]", "20.50")
    page.locator("#fee-matrix td", has_text=format_money(2050, "CHF")).first.wait_for()
    preview_fee = matrix_cell(page, "Low income", "Not a member")
    assert [preview_fee, matrix_cell(page, "Every other country", "Not a member")] == [
        format_money(2050, "CHF"),
        format_money(15000, "CHF"),
    ]
    submit(page, "#fee-rule-form button[type=submit]")

    # A registration question with translated choices, previewed as a participant sees it
    open_menu(page, "Registration questions")
    add_object(page)
    fill_languages(page, "label", {"en": "Dietary needs", "fr": "Régime", "ar": "النظام الغذائي"})
    page.select_option("select[name=kind]", "choice")
    for index, texts in enumerate(
        ({"en": "Vegetarian", "fr": "Végétarien", "ar": "نباتي"}, {"en": "Halal", "ar": "حلال"})
    ):
        fill_languages(page, f"choices-{index}-label", texts)
    page.locator("#question-preview select option", has_text="Halal").wait_for(state="attached")
    assert page.locator("#question-preview select option").all_inner_texts() == [
        "—",
        "Vegetarian",
        "Halal",
    ]
    submit(page, "#question-form button[type=submit]")
    assert rows(page) == ["Dietary needs"]

    # A call with a question, from the CfP pages
    open_menu(page, "Calls for participation and reviews")
    with page.expect_navigation():
        page.click("#add-call")
    fill_languages(page, "title", {"en": "Call for workshops", "fr": "Appel à ateliers"})
    page.fill("input[name=opens_at]", "2026-01-01T09:00")
    page.fill("input[name=closes_at]", "2028-12-31T23:59")
    page.get_by_label("Workshop proposal", exact=True).check()
    page.get_by_label("Drug policy", exact=True).check()
    submit(page)
    with page.expect_navigation():
        page.locator("#calls tr", has_text="Call for workshops").get_by_role(
            "link", name="Questions"
        ).click()
    add_object(page)
    fill_languages(page, "label", {"en": "Your experience", "fr": "Votre expérience"})
    page.select_option("select[name=kind]", "long_text")
    submit(page, "#question-form button[type=submit]")
    assert rows(page) == ["Your experience"]

    # A reviewer invited from the team list (linked from the CfP pages) accepts...
    open_menu(page, "Calls for participation and reviews")
    with page.expect_navigation():
        page.click("#invite-reviewers")
    page.fill("#id_email", "reviewer2029@example.org")
    page.check("input[name=roles][value=reviewer]")
    submit(page, "#invite-form button[type=submit]")
    reviewer = accept_invitation(browser, visited, REVIEWER_PASSWORD)
    reviewer.context.close()
    # ...and is assigned automatically once a proposal exists.
    call = CallForParticipation.objects.get(congress__slug=SLUG)
    proposal = SubmissionFactory(call=call, track=call.congress.tracks.get())
    open_menu(page, "Calls for participation and reviews")
    with page.expect_navigation():
        page.get_by_role("link", name="Review dashboard").click()
    submit(page, "#assign-automatically")
    assert page.locator(".message.success").all_inner_texts() == ["1 review assignment was made."]

    # A session placed on the timetable, then moved by drag and drop (the review dashboard
    # is outside the backoffice shell: back to the congress's dashboard first)
    page.goto(f"{live_server.url}/en/congresses/{SLUG}/manage/")
    open_menu(page, "Timetable")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a session").click()
    fill_languages(page, "title", {"en": "Opening plenary", "fr": "Plénière d'ouverture"})
    page.select_option("select[name=kind]", label="Plenary")
    page.select_option("select[name=room]", label="Room A (80 seats)")
    page.fill("input[name=starts_at]", "2029-06-12T09:00")
    page.fill("input[name=ends_at]", "2029-06-12T10:00")
    page.select_option("select[name=floor_language]", "en")
    submit(page, "form.session-form button[type=submit]")
    session = Session.objects.get(congress__slug=SLUG)
    _drag(
        page,
        page.locator(f"#session-{session.pk}"),
        page.locator(f'.tt-slot[data-room="{session.room_id}"][data-start="2029-06-12T11:00"]'),
    )
    page.wait_for_selector("#drop-result[data-state='ok']")
    drop_message = page.locator("#drop-message").inner_text()

    # A badge template, previewed before anyone registers
    open_menu(page, "Badge design")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a badge template").first.click()
    page.wait_for_selector("#badge-preview iframe")
    page.select_option("#id_size", "cr80")
    page.wait_for_selector("#badge-preview iframe[src*='size=cr80']")
    badge_preview = page.request.get(
        live_server.url + page.locator("#preview-pdf-link").get_attribute("href")
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    # Registration opens
    open_menu(page, "Open registration")
    submit(page, "#open-registration")
    assert page.locator("#opening-state").inner_text() == "Registration is open."
    page.context.close()

    # A participant from Chad, not a member, registers in Arabic.
    participant = new_page(browser, visited, locale="ar", viewport={"width": 390, "height": 844})
    participant.goto(f"{live_server.url}/ar/congresses/{SLUG}/register/")
    participant.select_option("#id_category", label="مندوبون")
    participant.fill("#id_name", "حليمة محمد")
    participant.fill("#id_latin_name", "Halima Mahamat")
    participant.fill("#id_email", "halima@example.org")
    participant.select_option("#id_country", "TD")
    participant.select_option("#id_language", "ar")
    participant.get_by_label("النظام الغذائي").select_option(label="حلال")
    participant.check("input[name=payment_method][value=transfer]")
    participant.check("#id_consent")
    with translation_override("ar"):
        arabic_fee = format_money(2050, "CHF")
    expect(participant.locator("[data-testid=fee-amount]")).to_have_text(arabic_fee)
    with participant.expect_navigation():
        participant.click("[data-testid=register-submit]")
    assert participant.locator("html").get_attribute("dir") == "rtl"
    participant.context.close()

    congress = Congress.objects.get(slug=SLUG)
    registration = Registration.objects.get(congress=congress)
    assert (registration.category.name, registration.amount_due_minor) == ("Delegates", 2050)
    assert preview_fee == format_money(registration.amount_due_minor, "CHF")
    assert sorted(
        CongressRole.objects.filter(congress=congress).values_list("user__username", "role")
    ) == [
        ("netadmin", "organiser"),
        ("organiser2029@example.org", "organiser"),
        ("reviewer2029@example.org", "reviewer"),
    ]
    assert list(
        ReviewAssignment.objects.filter(submission=proposal).values_list(
            "reviewer__username", flat=True
        )
    ) == ["reviewer2029@example.org"]
    session.refresh_from_db()
    assert session.starts_at.astimezone(congress.tzinfo).strftime("%H:%M") == "11:00"
    assert drop_message == "“Opening plenary” is now in Room A, Tuesday 12 June, 11:00–12:00."  # noqa: RUF001
    assert (
        BadgeTemplate.objects.get(congress=congress).size,
        badge_preview.headers["content-type"],
    ) == ("cr80", "application/pdf")
    assert opening_state(congress=congress).is_open
    assert [url for url in visited if "/admin/" in url] == []
