"""Labels, not codes: scan refusals and revocation reasons are words (issue 12)."""

import json
import re

import pytest
from django.urls import reverse

from badges.services import issue_credential, record_scan
from tests.factories.badges import CredentialFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def _reason_cells(client, congress) -> list[str]:
    body = client.get(reverse("badges:scan_log", kwargs={"slug": congress.slug})).content
    rows = re.findall(r'<tr class="scan-[a-z_]+">(.*?)</tr>', body.decode(), re.S)
    return [re.findall(r"<td>([^<]*)</td>", row)[5] for row in rows]


def test_scan_log_shows_refusal_and_revocation_reasons_as_words(client, congress, organiser):
    registration = RegistrationFactory(congress=congress, status="confirmed")
    old = issue_credential(registration=registration)
    issue_credential(registration=registration)  # revokes the first: "reissued"
    record_scan(congress=congress, token=old.token, device_id="door-1")
    record_scan(congress=congress, token="not-a-badge-token-at-all", device_id="door-1")
    client.force_login(organiser)

    cells = _reason_cells(client, congress)

    assert sorted(cells) == ["A new badge was issued", "Unknown badge"]


def test_scanner_page_gives_its_script_the_reason_words_in_french(client, congress, checkin_staff):
    CredentialFactory(registration__congress=congress)
    client.force_login(checkin_staff)

    body = client.get(f"/fr/checkin/{congress.slug}/").content.decode()

    labels = json.loads(
        re.search(r'<script id="reason-labels" type="application/json">(.*?)</script>', body).group(
            1
        )
    )
    assert (labels["not_signed_up"], labels["reissued"]) == (
        "Non inscrit·e à cette session",
        "Un nouveau badge a été émis",
    )
