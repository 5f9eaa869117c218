"""The organiser moves sessions on the timetable grid by drag and drop (issue 12)."""

import datetime

import pytest

from congress.models import CongressRole
from sessions.models import Session
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.sessions import RoomFactory, SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PARIS_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


def _at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2027, 6, 15, hour, minute, tzinfo=PARIS_SUMMER)


def _drag(page, source, target) -> None:
    """Press near the top of `source` (so the session's start lands on the target slot) and
    release over the middle of `target`, in small steps as a hand would."""
    target.scroll_into_view_if_needed()
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 3)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_organiser_drags_sessions_and_sees_saved_move_and_conflict(live_server, page, language):
    congress = CongressFactory()
    organiser = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    erasme = RoomFactory(congress=congress, name="Salle Erasme", position=1)
    weiss = RoomFactory(congress=congress, name="Salle Weiss", position=2)
    opening = SessionFactory(
        congress=congress, room=erasme, title="Opening", starts_at=_at(9), ends_at=_at(10)
    )
    SessionFactory(
        congress=congress, room=weiss, title="Workshop", starts_at=_at(10), ends_at=_at(11)
    )
    briefing = SessionFactory(
        congress=congress, room=None, status=Session.Status.DRAFT, title="Press briefing"
    )
    visited = []
    page.on("request", lambda request: visited.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_username", organiser.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/{language}/congresses/{congress.slug}/manage/timetable/")

    _drag(
        page,
        page.locator(f"#session-{opening.pk}"),
        page.locator(f'.tt-slot[data-room="{weiss.pk}"][data-start="2027-06-15T09:00"]'),
    )
    page.wait_for_selector("#drop-result[data-state='ok']")
    first_message = page.locator("#drop-message").inner_text()
    page.wait_for_selector(f'#session-{opening.pk}[data-col="3"]')

    _drag(
        page,
        page.locator(f"#session-{briefing.pk}"),
        page.locator(f'.tt-slot[data-room="{weiss.pk}"][data-start="2027-06-15T10:30"]'),
    )
    page.wait_for_selector("#drop-result[data-state='warning']")
    warnings = page.locator("#drop-warnings li").all_inner_texts()

    opening.refresh_from_db()
    briefing.refresh_from_db()
    assert (opening.room, opening.starts_at, opening.ends_at) == (weiss, _at(9), _at(10))
    assert (briefing.room, briefing.starts_at) == (weiss, _at(10, 30))
    if language == "en":
        assert first_message == "“Opening” is now in Salle Weiss, Tuesday 15 June, 09:00–10:00."  # noqa: RUF001
        assert warnings == [
            "Room Salle Weiss is double-booked on 2027-06-15 from 10:30 to 11:00: "
            "“Workshop” and “Press briefing”."
        ]
    else:
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert len(warnings) == 1
    page.wait_for_selector(f'#session-{briefing.pk}.has-warning[data-col="3"]')
    assert [url for url in visited if "/admin/" in url] == []
