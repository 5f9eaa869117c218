"""Workshop sign-ups: capacity, FIFO waitlist, cancellation and promotion."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.i18n import localized
from congress.services import record_audit
from registrations.models import Registration
from sessions.exceptions import (
    AlreadySignedUp,
    OverlappingSignup,
    RegistrationNotConfirmed,
    SessionNotInCongress,
    SignupNotActive,
    SignupNotOpen,
)
from sessions.models import Session, SessionSignup

Actor = AbstractBaseUser | AnonymousUser | None
ACTIVE_STATES = (SessionSignup.State.SEATED, SessionSignup.State.WAITLISTED)


def _check_no_overlap(*, session: Session, registration: Registration) -> None:
    active = SessionSignup.objects.filter(registration=registration, state__in=ACTIVE_STATES)
    if active.filter(session=session).exists():
        raise AlreadySignedUp()
    clash = (
        active.filter(
            session__starts_at__lt=session.ends_at, session__ends_at__gt=session.starts_at
        )
        .select_related("session")
        .first()
    )
    if clash is not None:
        other = clash.session
        raise OverlappingSignup(
            gettext(
                "You are already signed up for “%(title)s” at the same time "
                "(%(start)s to %(end)s). Cancel that sign-up first."
            )
            % {
                "title": localized(other.title, other.title_translations),
                "start": timezone.localtime(other.starts_at, other.congress.tzinfo).strftime(
                    "%H:%M"
                ),
                "end": timezone.localtime(other.ends_at, other.congress.tzinfo).strftime("%H:%M"),
            }
        )


def sign_up_for_session(
    *, session: Session, registration: Registration, actor: Actor = None, notify: bool = True
) -> SessionSignup:
    """Seat the registrant, or put them on the session's FIFO waitlist when it is full.

    Guarantees: the seats taken never exceed the session's capacity (its own, else its
    room's; no capacity means unlimited); one person holds at most one active sign-up per
    session and none for two sessions at overlapping times.
    Raises SessionNotInCongress, RegistrationNotConfirmed, SignupNotOpen, AlreadySignedUp,
    OverlappingSignup.
    Locking: the registration row (serialises one person's sign-ups), then the session row
    (serialises the seat count), in that order.
    A seated person is e-mailed a confirmation after commit unless `notify` is False.
    """
    if registration.congress_id != session.congress_id:
        raise SessionNotInCongress()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("congress")
            .get(pk=registration.pk)
        )
        if registration.status != Registration.Status.CONFIRMED:
            raise RegistrationNotConfirmed()
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("room", "congress")
            .get(pk=session.pk)
        )
        if not session.requires_signup or session.status != Session.Status.PUBLISHED:
            raise SignupNotOpen()
        _check_no_overlap(session=session, registration=registration)
        capacity = session.effective_capacity
        seated = session.signups.filter(state=SessionSignup.State.SEATED).count()
        is_full = capacity is not None and seated >= capacity
        try:
            with transaction.atomic():
                signup = SessionSignup.objects.create(
                    session=session,
                    registration=registration,
                    state=SessionSignup.State.WAITLISTED if is_full else SessionSignup.State.SEATED,
                    seated_at=None if is_full else timezone.now(),
                )
        except IntegrityError as error:
            raise AlreadySignedUp() from error
        record_audit(
            action="session.signed_up",
            congress=session.congress,
            actor=actor,
            target=signup,
            detail={"session_id": session.pk, "state": signup.state},
        )
        if notify and signup.state == SessionSignup.State.SEATED:
            _queue_notice("notify_seated_task", signup.pk)
    return signup


def promote_from_waitlist(*, session: Session) -> list[SessionSignup]:
    """Seat people waiting for `session`, first come first served, while seats are free.

    Each promoted person is e-mailed (in their preferred language) after commit.
    Must run inside the transaction that holds the session's row lock.
    """
    capacity = session.effective_capacity
    seated = session.signups.filter(state=SessionSignup.State.SEATED).count()
    waiting = session.signups.filter(state=SessionSignup.State.WAITLISTED).order_by(
        "created_at", "id"
    )
    if capacity is not None:
        waiting = waiting[: max(capacity - seated, 0)]
    promoted = list(waiting)
    now = timezone.now()
    for signup in promoted:
        signup.state = SessionSignup.State.SEATED
        signup.seated_at = now
        signup.save(update_fields=["state", "seated_at"])
        record_audit(
            action="session.promoted_from_waitlist",
            congress=session.congress,
            target=signup,
            detail={"session_id": session.pk},
        )
        _queue_notice("notify_promotion_task", signup.pk)
    return promoted


def _queue_notice(task_name: str, signup_id: int) -> None:
    """Queue one of the e-mail tasks of sessions.tasks once the transaction commits."""
    from sessions import tasks  # tasks import the services: import here, not at the top

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(signup_id))


def cancel_signup(
    *, signup: SessionSignup, actor: Actor = None, notify: bool = True
) -> SessionSignup:
    """Cancel a seat or a place on the waitlist; a freed seat goes to the next person waiting.

    The person is e-mailed a confirmation after commit unless `notify` is False.
    Raises SignupNotActive when it is already cancelled. Locks the session row.
    """
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",))
            .select_related("room", "congress")
            .get(pk=signup.session_id)
        )
        signup = SessionSignup.objects.get(pk=signup.pk)
        if signup.state == SessionSignup.State.CANCELLED:
            raise SignupNotActive()
        was_seated = signup.state == SessionSignup.State.SEATED
        signup.state = SessionSignup.State.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["state", "cancelled_at"])
        record_audit(
            action="session.signup_cancelled",
            congress=session.congress,
            actor=actor,
            target=signup,
            detail={"session_id": session.pk, "was_seated": was_seated},
        )
        if notify:
            _queue_notice("notify_cancelled_task", signup.pk)
        if was_seated:
            promote_from_waitlist(session=session)
    return signup


def cancel_signups_for_registration(
    *, registration: Registration, starting_after: datetime.datetime | None = None
) -> int:
    """Cancel every active sign-up of a cancelled registration, promoting each waitlist.

    With `starting_after`, only sign-ups for sessions that start later are cancelled (an
    erased person's past sessions stay in the attendance figures). Returns how many sign-ups
    were cancelled. Sessions are locked one at a time, in id order. The person is not
    e-mailed about each sign-up: their registration itself is cancelled or erased.
    """
    signups = SessionSignup.objects.filter(registration=registration, state__in=ACTIVE_STATES)
    if starting_after is not None:
        signups = signups.filter(session__starts_at__gt=starting_after)
    signups = signups.order_by("session_id")
    count = 0
    for signup in signups:
        cancel_signup(signup=signup, notify=False)
        count += 1
    return count
