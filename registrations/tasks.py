"""Background tasks (django-tasks): thin, load by id and call a service."""

from django_tasks import task

from registrations.services.bank import run_bank_statement_import


@task()
def import_bank_statement_task(statement_id: int) -> None:
    """Import a queued bank statement (progress is saved on the import as it goes)."""
    run_bank_statement_import(statement_id=statement_id)
