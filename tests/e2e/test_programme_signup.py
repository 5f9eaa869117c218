import datetime

import pytest

from registrations.self_service import issue_access_token
from sessions.models import SessionSignup
from tests.factories.members import UserFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import RoomFactory, SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PARIS_SUMMER = datetime.timezone(datetime.timedelta(hours=2))


def _workshop(congress=None):
    room = RoomFactory(
        name="Salle Weiss", capacity=8, **({"congress": congress} if congress else {})
    )
    return SessionFactory(
        congress=room.congress,
        room=room,
        title="Litigating drug cases",
        requires_signup=True,
        capacity=1,
        starts_at=datetime.datetime(2027, 6, 15, 11, tzinfo=PARIS_SUMMER),
        ends_at=datetime.datetime(2027, 6, 15, 12, 30, tzinfo=PARIS_SUMMER),
    )


def test_logged_in_participant_signs_up_from_public_programme(live_server, page):
    workshop = _workshop()
    user = UserFactory(username="amina")
    registration = RegistrationFactory(congress=workshop.congress, person__user=user)

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("form [type=submit]").last.click()
    page.goto(f"{live_server.url}/en/congresses/{workshop.congress.slug}/programme/")
    page.get_by_role("link", name="Litigating drug cases").click()
    page.locator("[data-test=signup-button]").click()

    assert "You have a seat." in page.locator("[data-test=signup-state]").inner_text()
    assert list(SessionSignup.objects.values_list("registration", "state")) == [
        (registration.pk, "seated")
    ]


def test_participant_with_private_link_joins_waitlist_on_phone(live_server, browser):
    workshop = _workshop()
    SessionSignup.objects.create(
        session=workshop,
        registration=RegistrationFactory(congress=workshop.congress),
        state=SessionSignup.State.SEATED,
    )
    token = issue_access_token(registration=RegistrationFactory(congress=workshop.congress))
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()

    page.goto(f"{live_server.url}/en/my-programme/{token}/")
    page.locator(f"#session-{workshop.pk} [data-test=signup-button]").click()

    assert (
        "waiting list"
        in page.locator(f"#session-{workshop.pk} [data-test=signup-state]").inner_text()
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
