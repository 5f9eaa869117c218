"""Browser tests of the backoffice core: a network administrator creates a congress in three
languages and invites an organiser who accepts and lands on the dashboard; cloning the demo
world congress into a new edition. Every URL visited is recorded; none is under /admin/."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from badges.models import BadgeTemplate
from cfp.models import CallForParticipation
from congress.demo import DEMO_NETWORK_ADMIN_USERNAME, DEMO_ORGANISER_PASSWORD, WORLD_SLUG
from congress.models import Congress, CongressRole, Track
from registrations.models import FeeRule, RegistrationCategory
from sessions.models import Room
from tests.factories.members import NetworkAdministratorFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a long and unusual passphrase 42"


def record_urls(page) -> list[str]:
    visited: list[str] = []
    page.on(
        "request",
        lambda request: (
            visited.append(request.url) if request.resource_type == "document" else None
        ),
    )
    return visited


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/backoffice/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/en/backoffice/")


def fill_wizard(page, *, clone_from: str = "", offset: str = "") -> None:
    for code in ("en", "fr", "ar"):
        page.check(f"input[name=languages][value={code}]")
    page.fill("input[name=names_en]", "World Congress 2029")
    page.fill("input[name=names_fr]", "Congrès mondial 2029")
    page.fill("input[name=names_ar]", "المؤتمر العالمي 2029")
    page.select_option("#id_kind", "world")
    page.fill("#id_starts_on", "2029-06-12")
    page.fill("#id_ends_on", "2029-06-14")
    page.select_option("#id_timezone", "Europe/Zurich")
    page.select_option("#id_currency", "CHF")
    page.fill("#id_venue_name", "CICG")
    page.fill("#id_city", "Geneva")
    page.select_option("#id_country", "CH")
    if clone_from:
        page.select_option("#id_clone_from", label=clone_from)
        page.fill("#id_offset_days", offset)
    page.click("#create-form button[type=submit]")


def test_network_admin_creates_a_congress_and_invites_an_organiser_who_accepts(
    live_server, browser
):
    administrator = NetworkAdministratorFactory(user__username="netadmin")
    admin_context = browser.new_context(locale="en-GB", viewport={"width": 820, "height": 1180})
    page = admin_context.new_page()
    visited = record_urls(page)
    log_in(page, live_server, "netadmin", PASSWORD)

    page.get_by_role("link", name="Create a congress").click()
    fill_wizard(page)
    page.wait_for_url(re.compile(r".*/congresses/world-congress-2029/manage/$"))
    page.get_by_role("link", name="Team and roles").first.click()
    page.fill("#id_email", "organiser2029@example.org")
    page.check("input[name=roles][value=organiser]")
    page.click("#invite-form button[type=submit]")
    page.wait_for_selector("#invitation-table")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    invitee_context = browser.new_context(locale="fr-FR")
    invitee = invitee_context.new_page()
    visited += record_urls(invitee)
    invitee.goto(link.replace("/en/", "/fr/"))
    invitee.fill("#id_password1", NEW_PASSWORD)
    invitee.fill("#id_password2", NEW_PASSWORD)
    invitee.click("#accept-form button[type=submit]")
    invitee.wait_for_url(re.compile(r".*/congresses/world-congress-2029/manage/$"))

    congress = Congress.objects.get(slug="world-congress-2029")
    assert (congress.name_translations, congress.working_languages, congress.status) == (
        {"fr": "Congrès mondial 2029", "ar": "المؤتمر العالمي 2029"},
        ["en", "fr", "ar"],
        Congress.Status.DRAFT,
    )
    assert sorted(
        CongressRole.objects.filter(congress=congress).values_list("user__username", "role")
    ) == [("netadmin", "organiser"), ("organiser2029@example.org", "organiser")]
    assert invitee.locator("h1").inner_text() == "Tableau de bord"
    assert administrator.network == congress.network
    assert [url for url in visited if "/admin/" in url] == []
    admin_context.close()
    invitee_context.close()


def test_network_admin_clones_the_demo_world_congress_into_a_new_edition(live_server, page):
    call_command("demo", "--allow-production", stdout=io.StringIO())
    source = Congress.objects.get(slug=WORLD_SLUG)
    visited = record_urls(page)
    log_in(page, live_server, DEMO_NETWORK_ADMIN_USERNAME, DEMO_ORGANISER_PASSWORD)

    page.locator(f"a[href='/en/networks/{source.network.slug}/congresses/new/']").click()
    fill_wizard(page, clone_from=f"{source.name} (2027)", offset="728")
    page.wait_for_url(re.compile(r".*/congresses/world-congress-2029/manage/$"))

    copy = Congress.objects.get(slug="world-congress-2029")

    def names(model, **scope):
        return sorted(model.objects.filter(**scope).values_list("name", flat=True))

    assert names(Track, congress=copy) == names(Track, congress=source)
    assert names(Room, congress=copy) == names(Room, congress=source)
    assert names(RegistrationCategory, congress=copy) == names(
        RegistrationCategory, congress=source
    )
    assert FeeRule.objects.filter(category__congress=copy).count() == (
        FeeRule.objects.filter(category__congress=source).count()
    )
    assert sorted(
        CallForParticipation.objects.filter(congress=copy).values_list("slug", flat=True)
    ) == sorted(CallForParticipation.objects.filter(congress=source).values_list("slug", flat=True))
    assert BadgeTemplate.objects.filter(congress=copy).count() == (
        BadgeTemplate.objects.filter(congress=source).count()
    )
    assert page.locator("#congress-facts").inner_text().startswith("Status\nDraft")
    assert [url for url in visited if "/admin/" in url] == []
