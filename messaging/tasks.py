"""Background tasks (django-tasks): thin, load by id and call a service."""

from django_tasks import task

from messaging import services


@task()
def start_mailing_task(mailing_id: int) -> None:
    """A scheduled mailing's time has come: write its outbox and send it."""
    services.start_mailing(mailing_id=mailing_id)


@task()
def send_mailing_task(mailing_id: int, attempt: int = 1) -> int:
    """Send a mailing's queued messages; returns how many were sent."""
    return services.run_mailing(mailing_id=mailing_id, attempt=attempt).sent
