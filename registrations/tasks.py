"""Background tasks (django-tasks): thin, load by id and call a service."""

from django_tasks import task

from registrations.models import Registration
from registrations.services.bank import run_bank_statement_import
from registrations.services.membership import send_membership_request
from registrations.services.notifications import send_registration_email


@task()
def import_bank_statement_task(statement_id: int) -> None:
    """Import a queued bank statement (progress is saved on the import as it goes)."""
    run_bank_statement_import(statement_id=statement_id)


@task()
def send_registration_emails_task(
    registration_id: int, token: str, membership_token: str = ""
) -> None:
    """The e-mails of a new registration, queued when it commits: the registrant's (with the
    private link of `token`) and, when the membership waits for verification, the request
    to the organisation's contact (`membership_token`). Each is rendered here, in the
    recipient's language, and queued for sending (common.mail, with retries). Nothing is
    sent for a registration deleted meanwhile."""
    registration = (
        Registration.objects.select_related("congress", "person__organisation", "category")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return
    if membership_token:
        send_membership_request(registration=registration, token=membership_token)
    send_registration_email(registration=registration, token=token)
