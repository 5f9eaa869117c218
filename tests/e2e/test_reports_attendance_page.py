"""Browser test: an organiser reads the attendance report and downloads its CSV."""

import csv
import io

import pytest

from badges.models import Checkpoint
from congress.models import CongressRole
from tests.factories.attendance import at, scan
from tests.factories.badges import CheckpointFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def congress_with_attendance():
    congress = CongressFactory(name="World Congress")
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    speakers = RegistrationCategoryFactory(congress=congress, name="Speakers")
    delegates = RegistrationCategoryFactory(congress=congress, name="Delegates")
    for category, present, absent in ((speakers, 2, 1), (delegates, 1, 2)):
        for _index in range(present):
            scan(RegistrationFactory(congress=congress, category=category), entrance, at(8))
        RegistrationFactory.create_batch(absent, congress=congress, category=category)
    return congress


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def test_organiser_reads_the_report_and_downloads_the_csv(
    live_server, page, congress_with_attendance
):
    congress = congress_with_attendance
    organiser = CongressRoleFactory(
        congress=congress, role=CongressRole.Role.ORGANISER, user__password=PASSWORD
    ).user
    log_in(page, live_server, organiser.username)

    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/attendance/")

    assert page.locator("h1").inner_text() == "Attendance: World Congress"
    assert page.locator("#total-registered-on-site").inner_text() == "6"
    assert page.locator("#total-checked-in").inner_text() == "3"
    category_section = page.locator("section[aria-labelledby=per-category]")
    assert category_section.locator("svg").count() == 1
    assert category_section.locator("svg").is_visible()
    assert page.locator("section.report-section svg").count() >= 2
    rows = page.locator("#table-categories tbody tr")
    assert sorted(rows.all_inner_texts()) == [
        "Delegates\t3\t0\t1\t0\t0.00",
        "Speakers\t3\t0\t2\t0\t0.00",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    content = download.path().read_text(encoding="utf-8")

    assert download.suggested_filename == f"attendance-{congress.slug}.csv"
    records = list(csv.DictReader(io.StringIO(content)))
    assert records[0] == {
        "section": "total",
        "key": "all",
        "label": "All participants",
        "registered_on_site": "6",
        "registered_online": "0",
        "checked_in": "3",
        "online": "0",
        "online_hours": "0.00",
        "signed_up": "",
        "attended": "",
        "no_show_rate": "",
        "people_trained": "",
        "training_hours": "",
    }
    categories = {
        record["label"]: (record["registered_on_site"], record["checked_in"])
        for record in records
        if record["section"] == "category"
    }
    assert categories == {"Speakers": ("3", "2"), "Delegates": ("3", "1")}
