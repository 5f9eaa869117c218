"""Background tasks of the call for participation. Thin: load by id, call the service."""

from django_tasks import task

from cfp.services.decisions import send_decision_email


@task()
def send_decision_emails_task(*, submission_ids: list[int]) -> int:
    return sum(send_decision_email(submission_id=pk) for pk in submission_ids)
