"""Background tasks of the programme: thin, they load rows by id and call a service."""

from django_tasks import task

from sessions.models import SessionSignup
from sessions.services.notifications import send_promotion_notice


@task()
def notify_promotion_task(signup_id: int) -> None:
    signup = (
        SessionSignup.objects.select_related(
            "registration__person", "session__congress", "session__room"
        )
        .filter(pk=signup_id, state=SessionSignup.State.SEATED)
        .first()
    )
    if signup is not None:
        send_promotion_notice(signup=signup)
