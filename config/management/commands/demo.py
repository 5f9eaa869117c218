from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from attendance.demo import load_attendance_demo, load_network_history_demo
from badges.demo import load_badges_demo
from cfp.demo import load_cfp_demo
from congress.demo import (
    DEMO_NETWORK_ADMIN_USERNAME,
    DEMO_ORGANISER_PASSWORD,
    DEMO_ORGANISER_USERNAME,
    load_core_demo,
)
from privacy.demo import load_privacy_demo
from registrations.demo import load_registrations_demo
from sessions.demo import load_programme_demo
from travel.demo import load_travel_demo

# Each app's demo, in the order their data builds on each other; every step is idempotent.
STEPS = (
    ("organisations, people and congresses", load_core_demo),
    ("attendance: the world network's earlier congresses", load_network_history_demo),
    ("registrations", load_registrations_demo),
    ("calls for participation and reviews", load_cfp_demo),
    ("programme", load_programme_demo),
    ("badges", load_badges_demo),
    ("attendance: closing and certificates", load_attendance_demo),
    ("travel support: donors, grants, rooms, flights", load_travel_demo),
    ("privacy: data protection officer and erasure request", load_privacy_demo),
)


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
        for name, load in STEPS:
            with transaction.atomic():
                load(self.stdout)
            self.stdout.write(f"demo: {name} loaded")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Organiser login: "
                f"{DEMO_ORGANISER_USERNAME} / {DEMO_ORGANISER_PASSWORD}"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Network administrator login (creates congresses, manages member "
                f"organisations): {DEMO_NETWORK_ADMIN_USERNAME} / {DEMO_ORGANISER_PASSWORD}"
            )
        )
