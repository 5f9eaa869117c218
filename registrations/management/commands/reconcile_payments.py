from django.core.management.base import BaseCommand

from registrations.services import reconcile_payments


class Command(BaseCommand):
    help = (
        "Ask Stripe about card payments still pending after N minutes and settle them; "
        "release expired seat holds and waitlist offers. Safe to run every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=30)

    def handle(self, *args, minutes: int, **options):
        settled, released = reconcile_payments(older_than_minutes=minutes)
        self.stdout.write(f"settled={settled} released={released}")
