"""Online registration categories (remote participants): stream links on their private
page, no printed badge in bulk runs, counted apart in the attendance report."""

import io

import pypdf
import pytest

from attendance.online import online_sessions
from badges.services import render_congress_badges
from tests.factories.attendance import at, scan
from tests.factories.badges import CheckpointFactory, CredentialFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def remote(congress):
    return RegistrationFactory(
        congress=congress, category__congress=congress, category__is_online=True
    )


def test_confirmed_participant_of_an_online_category_sees_the_stream_sessions(congress, remote):
    streamed = SessionFactory(congress=congress, stream_url="https://stream.example.org/a")
    SessionFactory(congress=congress)

    sessions = list(online_sessions(registration=remote))

    assert sessions == [streamed]


def test_bulk_badges_leave_out_online_categories(congress, remote):
    CredentialFactory(registration=remote, registration__person__name="Remote Person")
    CredentialFactory(registration__congress=congress, registration__person__name="On Site Person")
    out = io.BytesIO()

    count = render_congress_badges(congress=congress, out=out)

    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert (count, "On Site Person" in text, "Remote Person" in text) == (1, True, False)


def test_attendance_page_counts_online_category_registrations_apart(
    client, congress, organiser, remote
):
    on_site = RegistrationFactory(congress=congress)
    scan(on_site, CheckpointFactory(congress=congress), at(8))
    client.force_login(organiser)

    html = client.get(f"/en/congresses/{congress.slug}/attendance/").content.decode()

    assert [
        html.split(f'id="{name}">')[1].split("<")[0]
        for name in ("total-registered-on-site", "total-checked-in", "total-registered-online")
    ] == ["1", "1", "1"]
