"""Background tasks of the programme: thin, they load rows by id and call a service."""

from django_tasks import task

from sessions.models import SessionSignup
from sessions.services.notifications import (
    send_cancellation_notice,
    send_promotion_notice,
    send_seat_confirmation,
)


def _signup(signup_id: int, state: str) -> SessionSignup | None:
    """The sign-up, if it is still in `state` (a later change makes the e-mail moot)."""
    return (
        SessionSignup.objects.select_related(
            "registration__person", "session__congress", "session__room"
        )
        .filter(pk=signup_id, state=state)
        .first()
    )


@task()
def notify_promotion_task(signup_id: int) -> None:
    signup = _signup(signup_id, SessionSignup.State.SEATED)
    if signup is not None:
        send_promotion_notice(signup=signup)


@task()
def notify_seated_task(signup_id: int) -> None:
    signup = _signup(signup_id, SessionSignup.State.SEATED)
    if signup is not None:
        send_seat_confirmation(signup=signup)


@task()
def notify_cancelled_task(signup_id: int) -> None:
    signup = _signup(signup_id, SessionSignup.State.CANCELLED)
    if signup is not None:
        send_cancellation_notice(signup=signup)
