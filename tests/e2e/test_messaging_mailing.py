"""Browser test: an organiser composes a mailing to an audience, sees the count, previews it
as one recipient, sends it and reads the outbox."""

import pytest
from django.core import mail

from congress.models import CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def test_organiser_composes_counts_previews_sends_and_reads_the_outbox(live_server, page):
    congress = CongressFactory(name="World Congress", working_languages=["en", "ar"])
    RegistrationFactory(congress=congress, language="ar", person__name="ليلى",
                        person__email="layla@example.org")  # fmt: skip
    RegistrationFactory(congress=congress, language="en", person__email="john@example.org")
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    log_in(page, live_server, organiser.username)

    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/mailings/")
    page.click("#new-mailing")
    page.locator("[data-testid=recipient-count]").wait_for()
    everyone = page.locator("[data-testid=recipient-count]").get_attribute("data-count")
    page.check("input[name=languages][value=ar]")
    page.locator("[data-testid=recipient-count][data-count='1']").wait_for()
    page.fill("input[name=subject_en]", "News")
    page.fill("input[name=subject_ar]", "أخبار")
    page.fill("textarea[name=body_en]", "Dear {name}")
    page.fill("textarea[name=body_ar]", "عزيزتي {name}")
    page.click("#preview-button")
    page.locator("[data-testid=preview-subject]").wait_for()
    preview = (
        page.locator("[data-testid=preview-subject]").inner_text(),
        page.locator("[data-testid=preview-body]").inner_text().splitlines()[0],
    )
    page.click("#send-button")
    page.wait_for_load_state()

    assert everyone == "2"
    assert preview == ("أخبار", "عزيزتي ليلى")
    assert page.locator("[data-state=sent]").first.inner_text() == "1"
    rows = page.locator("table[data-testid=outbox] tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").all_inner_texts()[:4] == ["ليلى", "ar", "Sent", ""]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["layla@example.org"], "أخبار")
    ]
