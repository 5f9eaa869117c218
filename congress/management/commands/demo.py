from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from congress.demo import DEMO_ORGANISER_PASSWORD, DEMO_ORGANISER_USERNAME
from congress.demo_registry import registered_steps


class Command(BaseCommand):
    help = (
        "Load a realistic demo: a world congress and a regional congress with organisations, "
        "people, programme, registrations, badges and check-ins. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off (it creates a user with a known password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "The demo creates an organiser with a published password; it only runs with "
                "DJANGO_DEBUG=1 (or pass --allow-production)."
            )
        for step in registered_steps():
            with transaction.atomic():
                step.function(self.stdout)
            self.stdout.write(f"demo: {step.name} loaded")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Organiser login: "
                f"{DEMO_ORGANISER_USERNAME} / {DEMO_ORGANISER_PASSWORD}"
            )
        )
