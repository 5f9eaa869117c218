import re

import pytest
from django.urls import reverse

from badges.models import Checkpoint
from badges.services import record_scan
from tests.factories.attendance import SessionCheckpointFactory
from tests.factories.badges import CheckpointFactory, CredentialFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db


def _scanner_options(client, congress) -> list[tuple[str, str]]:
    url = reverse("badges:checkin_for_congress", kwargs={"slug": congress.slug})
    body = client.get(url).content.decode()
    start = body.index('<select id="checkpoint-select">')
    select = body[start : body.index("</select>", start)]
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', select)


def test_checkin_page_get_creates_no_checkpoint(client, congress, checkin_staff):
    SessionFactory(congress=congress, requires_signup=True, title="Drug policy training")
    client.force_login(checkin_staff)

    options = _scanner_options(client, congress)

    assert options == [("", "Congress entrance")]
    assert list(Checkpoint.objects.all()) == []


def test_checkin_page_offers_only_active_checkpoints_entrance_first(
    client, congress, checkin_staff
):
    entrance = CheckpointFactory(congress=congress, name="Main gate")
    open_door = SessionCheckpointFactory(congress=congress, name="Drug policy")
    SessionCheckpointFactory(congress=congress, name="Cancelled workshop", is_active=False)
    client.force_login(checkin_staff)

    options = _scanner_options(client, congress)

    assert options == [(str(entrance.pk), "Main gate"), (str(open_door.pk), "Drug policy")]


@pytest.mark.parametrize("count", [1, 4])
def test_scan_log_page_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for _ in range(count):
        credential = CredentialFactory(registration__congress=congress)
        record_scan(congress=congress, token=credential.token, device_id="door-1")
    client.force_login(organiser)

    with django_assert_num_queries(7):
        response = client.get(reverse("badges:scan_log", kwargs={"slug": congress.slug}))

    assert len(response.context["scans"]) == count
