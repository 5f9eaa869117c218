import time_machine

from privacy.erasure import erase_person
from sessions.models import SessionSignup
from sessions.services import sign_up_for_session
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory
from tests.sessions.conftest import at

SEATED = SessionSignup.State.SEATED
WAITLISTED = SessionSignup.State.WAITLISTED
CANCELLED = SessionSignup.State.CANCELLED


def test_erase_person_frees_their_future_seat_for_the_waitlist_and_keeps_past_ones(
    db, congress, workshop, django_capture_on_commit_callbacks
):
    past = SessionFactory(
        congress=congress, requires_signup=True, capacity=1, starts_at=at(14, 9), ends_at=at(14, 10)
    )
    erased = RegistrationFactory(congress=congress)
    with time_machine.travel(at(13, 9)):
        kept_seat = sign_up_for_session(session=past, registration=erased)
        freed_seat = sign_up_for_session(session=workshop, registration=erased)
        other = sign_up_for_session(
            session=workshop, registration=RegistrationFactory(congress=congress)
        )
        waiting = sign_up_for_session(
            session=workshop, registration=RegistrationFactory(congress=congress)
        )

    with time_machine.travel(at(14, 18)), django_capture_on_commit_callbacks(execute=True):
        erase_person(person=erased.person, actor=None)

    states = dict(SessionSignup.objects.values_list("pk", "state"))
    assert states == {
        kept_seat.pk: SEATED,
        freed_seat.pk: CANCELLED,
        other.pk: SEATED,
        waiting.pk: SEATED,
    }
