"""Every datetime on a congress's pages is shown in the congress's time zone (issue 12)."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from badges.services import record_scan
from congress.models import CongressRole
from tests.factories.badges import CredentialFactory
from tests.factories.cfp import DURING_CALL, CallFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

# 10:00 UTC on 30 March 2026 is 12:00 in Zurich (summer time since 29 March).
CLOSES_AT = datetime.datetime(2026, 3, 30, 10, 0, tzinfo=datetime.UTC)


def _zurich_call():
    congress = CongressFactory(timezone="Europe/Zurich")
    return CallFactory(congress=congress, title="Call for workshops", closes_at=CLOSES_AT)


def _meta(html: str, start: str) -> str:
    line = next(line for line in html.splitlines() if start in line)
    return line.strip()


@time_machine.travel(DURING_CALL, tick=False)
def test_public_call_list_shows_close_time_in_congress_zone(client):
    call = _zurich_call()

    html = client.get(f"/en/congresses/{call.congress.slug}/cfp/").content.decode()

    assert _meta(html, "Open until") == (
        '<p class="meta">Open until March 30, 2026, noon (Europe/Zurich).</p>'
    )


@time_machine.travel(DURING_CALL, tick=False)
def test_organiser_call_list_shows_times_in_congress_zone(client):
    call = _zurich_call()
    organiser = CongressRoleFactory(congress=call.congress, role=CongressRole.Role.ORGANISER)
    client.force_login(organiser.user)

    html = client.get(f"/en/congresses/{call.congress.slug}/cfp/manage/").content.decode()

    cells = re.findall(r"<td>((?:Jan\.|March)[^<]*)</td>", html)
    assert cells == ["Jan. 1, 2026, 1 a.m.", "March 30, 2026, noon"]


def test_congress_zone_does_not_outlive_the_request(client):
    call = _zurich_call()
    client.get(f"/en/congresses/{call.congress.slug}/cfp/")

    client.get("/en/")

    assert timezone.get_current_timezone_name() == "UTC"


def test_api_keeps_utc(organiser, token_client):
    organiser_congress = organiser.congress_roles.get().congress
    organiser_congress.timezone = "Europe/Zurich"
    organiser_congress.save()
    registration = RegistrationFactory(congress=organiser_congress)
    registration.created_at = datetime.datetime(2027, 6, 15, 7, 0, tzinfo=datetime.UTC)
    registration.save(update_fields=["created_at"])

    body = (
        token_client(organiser)
        .get(f"/api/v1/congresses/{organiser_congress.slug}/registrations/")
        .json()
    )

    assert [row["created_at"] for row in body["results"]] == ["2027-06-15T07:00:00Z"]


@time_machine.travel(datetime.datetime(2027, 6, 15, 7, 5, tzinfo=datetime.UTC), tick=False)
def test_scan_log_shows_scan_times_in_congress_zone(client, congress, organiser):
    credential = CredentialFactory(registration__congress=congress)
    record_scan(congress=congress, token=credential.token, device_id="door-1")
    client.force_login(organiser)

    html = client.get(f"/en/checkin/{congress.slug}/log/").content.decode()

    row = re.search(r'<tr class="scan-ok">\s*<td>([^<]*)</td><td>([^<]*)</td>', html)
    assert row.groups() == ("06/15/2027 9:05 a.m.", "06/15/2027 9:05 a.m.")
