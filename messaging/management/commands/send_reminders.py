import json

from django.core.management.base import BaseCommand

from messaging.reminders import send_reminders
from messaging.services import send_due_mailings


class Command(BaseCommand):
    help = (
        "Queue the reminders that are due (each goes once per person and kind) and start "
        "scheduled mailings whose time has come. Run it every few minutes; idempotent."
    )

    def handle(self, *args, **options) -> None:
        counts = send_reminders()
        counts["mailings_started"] = send_due_mailings()
        self.stdout.write(json.dumps(counts, sort_keys=True))
