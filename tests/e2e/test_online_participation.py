"""Remote participation in the browser: a participant joins a session's stream from their
private page, and the organiser's attendance report counts them online."""

import datetime

import pytest

from congress.models import CongressRole
from registrations.self_service import issue_access_token
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_remote_participant_join_is_counted_in_the_report(live_server, page):
    congress = CongressFactory()
    organiser = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    now = datetime.datetime.now(datetime.UTC)
    SessionFactory(
        congress=congress,
        title="Plenary: abolition worldwide",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=60),
        # The stream is another site in real life; the test points at our own /healthz.
        stream_url=f"{live_server.url}/healthz",
    )
    token = issue_access_token(registration=RegistrationFactory(congress=congress))

    page.goto(f"{live_server.url}/en/me/{token}/online/")
    page.click("#online-sessions .join-session")
    page.wait_for_selector("#online-joined")
    page.wait_for_url(f"{live_server.url}/healthz")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", organiser.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/congresses/{congress.slug}/attendance/")

    assert page.locator("#total-online").inner_text() == "1"
    assert page.locator("#total-checked-in").inner_text() == "0"
