import pytest
from django.core import mail

from registrations.models import Registration
from registrations.signals import registration_cancelled
from sessions.exceptions import (
    AlreadySignedUp,
    OverlappingSignup,
    RegistrationNotConfirmed,
    SessionNotInCongress,
    SignupNotActive,
    SignupNotOpen,
)
from sessions.models import Session, SessionSignup
from sessions.services import (
    cancel_signup,
    cancel_signups_for_registration,
    sign_up_for_session,
)
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory
from tests.sessions.conftest import at

pytestmark = pytest.mark.django_db
SEATED = SessionSignup.State.SEATED
WAITLISTED = SessionSignup.State.WAITLISTED
CANCELLED = SessionSignup.State.CANCELLED


def test_sign_up_with_free_seat_is_seated(congress, workshop):
    registration = RegistrationFactory(congress=congress)

    signup = sign_up_for_session(session=workshop, registration=registration)

    assert signup.state == SEATED
    assert signup.seated_at is not None


def test_sign_up_when_full_is_waitlisted(congress, workshop):
    for _ in range(2):
        sign_up_for_session(session=workshop, registration=RegistrationFactory(congress=congress))

    signup = sign_up_for_session(
        session=workshop, registration=RegistrationFactory(congress=congress)
    )

    assert signup.state == WAITLISTED
    assert workshop.signups.filter(state=SEATED).count() == 2


def test_sign_up_without_session_capacity_uses_room_capacity(congress, workshop, room):
    workshop.capacity = None
    workshop.save()
    room.capacity = 1
    room.save()
    sign_up_for_session(session=workshop, registration=RegistrationFactory(congress=congress))

    signup = sign_up_for_session(
        session=workshop, registration=RegistrationFactory(congress=congress)
    )

    assert signup.state == WAITLISTED


@pytest.mark.parametrize(
    "status",
    [
        Registration.Status.PENDING_PAYMENT,
        Registration.Status.WAITLISTED,
        Registration.Status.CANCELLED,
    ],
)
def test_sign_up_with_unconfirmed_registration_is_refused(congress, workshop, status):
    registration = RegistrationFactory(congress=congress, status=status)

    with pytest.raises(RegistrationNotConfirmed):
        sign_up_for_session(session=workshop, registration=registration)

    assert workshop.signups.count() == 0


def test_sign_up_with_registration_of_other_congress_is_refused(workshop, other_congress):
    registration = RegistrationFactory(congress=other_congress)

    with pytest.raises(SessionNotInCongress):
        sign_up_for_session(session=workshop, registration=registration)


@pytest.mark.parametrize(
    ("requires_signup", "status"),
    [(False, Session.Status.PUBLISHED), (True, Session.Status.DRAFT)],
)
def test_sign_up_for_session_without_signup_is_refused(congress, requires_signup, status):
    session = SessionFactory(congress=congress, requires_signup=requires_signup, status=status)

    with pytest.raises(SignupNotOpen):
        sign_up_for_session(session=session, registration=RegistrationFactory(congress=congress))


def test_sign_up_twice_is_already_signed_up(congress, workshop):
    registration = RegistrationFactory(congress=congress)
    sign_up_for_session(session=workshop, registration=registration)

    with pytest.raises(AlreadySignedUp):
        sign_up_for_session(session=workshop, registration=registration)

    assert workshop.signups.count() == 1


def test_sign_up_for_overlapping_workshop_is_refused_with_its_title(congress, workshop):
    registration = RegistrationFactory(congress=congress)
    sign_up_for_session(session=workshop, registration=registration)
    other = SessionFactory(
        congress=congress, requires_signup=True, starts_at=at(15, 12), ends_at=at(15, 13)
    )

    with pytest.raises(OverlappingSignup) as error:
        sign_up_for_session(session=other, registration=registration)

    assert str(error.value) == (
        "You are already signed up for “Litigating drug cases” at the same time "
        "(11:00 to 12:30). Cancel that sign-up first."
    )
    assert other.signups.count() == 0


def test_sign_up_for_back_to_back_workshop_is_seated(congress, workshop):
    registration = RegistrationFactory(congress=congress)
    sign_up_for_session(session=workshop, registration=registration)
    next_one = SessionFactory(
        congress=congress, requires_signup=True, starts_at=at(15, 12, 30), ends_at=at(15, 14)
    )

    signup = sign_up_for_session(session=next_one, registration=registration)

    assert signup.state == SEATED


def test_sign_up_after_cancelling_overlap_is_seated(congress, workshop):
    registration = RegistrationFactory(congress=congress)
    first = sign_up_for_session(session=workshop, registration=registration)
    cancel_signup(signup=first)
    other = SessionFactory(
        congress=congress, requires_signup=True, starts_at=at(15, 12), ends_at=at(15, 13)
    )

    signup = sign_up_for_session(session=other, registration=registration)

    assert signup.state == SEATED


def _fill(congress, workshop, count):
    return [
        sign_up_for_session(session=workshop, registration=RegistrationFactory(congress=congress))
        for _ in range(count)
    ]


def test_cancel_seat_promotes_first_waitlisted(
    congress, workshop, django_capture_on_commit_callbacks
):
    seated, _other, first_waiting, second_waiting = _fill(congress, workshop, 4)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_signup(signup=seated)

    states = dict(workshop.signups.values_list("pk", "state"))
    assert states == {
        seated.pk: CANCELLED,
        _other.pk: SEATED,
        first_waiting.pk: SEATED,
        second_waiting.pk: WAITLISTED,
    }


def test_cancel_seat_emails_promoted_person_in_their_language(
    congress, workshop, django_capture_on_commit_callbacks
):
    seated, _other = _fill(congress, workshop, 2)
    waiting = sign_up_for_session(
        session=workshop,
        registration=RegistrationFactory(
            congress=congress,
            person__name="Amina Ben Salem",
            person__email="amina@example.org",
            person__preferred_language="fr",
        ),
    )

    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_signup(signup=seated)

    promotion = mail.outbox[-1]
    assert [message.to for message in mail.outbox] == [
        [seated.registration.person.email],
        ["amina@example.org"],
    ]
    assert promotion.subject == "Vous avez une place : Litigating drug cases"
    assert "Amina Ben Salem" in promotion.body
    assert "11:00" in promotion.body
    waiting.refresh_from_db()
    assert waiting.state == SEATED


def test_cancel_waitlist_place_promotes_nobody(
    congress, workshop, django_capture_on_commit_callbacks
):
    _first, _second, waiting, last = _fill(congress, workshop, 4)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_signup(signup=waiting)

    last.refresh_from_db()
    assert last.state == WAITLISTED
    # Only the cancellation notice to the person who cancelled: nobody moved up.
    assert [message.to for message in mail.outbox] == [[waiting.registration.person.email]]


def test_sign_up_with_free_seat_emails_confirmation_in_their_language(
    congress, workshop, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        congress=congress,
        person__name="Amina Ben Salem",
        person__email="amina@example.org",
        person__preferred_language="fr",
    )

    with django_capture_on_commit_callbacks(execute=True):
        sign_up_for_session(session=workshop, registration=registration)

    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    assert mail.outbox[0].subject == "Vous avez une place : Litigating drug cases"
    # Django's French date format and month names: rendered in the person's language.
    assert "15 juin 2027, 11:00\N{EN DASH}12:30" in mail.outbox[0].body
    assert "Salle Erasme" in mail.outbox[0].body


def test_sign_up_onto_waitlist_sends_no_seat_confirmation(
    congress, workshop, django_capture_on_commit_callbacks
):
    _fill(congress, workshop, 2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up_for_session(
            session=workshop, registration=RegistrationFactory(congress=congress)
        )

    assert signup.state == WAITLISTED
    assert mail.outbox == []


def test_sign_up_without_notify_sends_nothing(
    congress, workshop, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(congress=congress)

    with django_capture_on_commit_callbacks(execute=True):
        signup = sign_up_for_session(session=workshop, registration=registration, notify=False)

    assert signup.state == SEATED
    assert mail.outbox == []


def test_cancel_seat_emails_cancellation_to_the_person(
    congress, workshop, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        congress=congress, person__name="Zoë Lefèvre", person__email="zoe@example.org"
    )
    signup = sign_up_for_session(session=workshop, registration=registration)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_signup(signup=signup)

    assert [message.to for message in mail.outbox] == [["zoe@example.org"]]
    assert mail.outbox[0].subject == "Sign-up cancelled: Litigating drug cases"
    assert "Dear Zoë Lefèvre," in mail.outbox[0].body
    assert "June 15, 2027, 11:00\N{EN DASH}12:30" in mail.outbox[0].body


def test_cancelled_registration_frees_seats_without_cancellation_emails(
    congress, workshop, django_capture_on_commit_callbacks
):
    (signup,) = _fill(congress, workshop, 1)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_signups_for_registration(registration=signup.registration)

    signup.refresh_from_db()
    assert signup.state == CANCELLED
    assert mail.outbox == []


def test_cancel_twice_is_refused(congress, workshop):
    (signup,) = _fill(congress, workshop, 1)
    cancel_signup(signup=signup)

    with pytest.raises(SignupNotActive):
        cancel_signup(signup=signup)


def test_registration_cancelled_signal_frees_seats_and_promotes(
    congress, workshop, django_capture_on_commit_callbacks
):
    seated, _other, waiting = _fill(congress, workshop, 3)
    registration = seated.registration
    registration.status = Registration.Status.CANCELLED
    registration.save()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancelled.send(sender=Registration, registration=registration)

    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.state, waiting.state) == (CANCELLED, SEATED)
    assert len(mail.outbox) == 1


def test_capacity_raised_promotes_waiting_people(
    congress, workshop, django_capture_on_commit_callbacks
):
    from sessions.services import save_session

    _first, _second, waiting = _fill(congress, workshop, 3)
    workshop.capacity = 3

    with django_capture_on_commit_callbacks(execute=True):
        save_session(session=workshop)

    waiting.refresh_from_db()
    assert waiting.state == SEATED
