from django.core.management.base import BaseCommand

from registrations.services import purge_passport_data


class Command(BaseCommand):
    help = (
        "Erase visa-letter passport details of congresses that ended more than their "
        "passport_purge_days ago. Safe to run daily."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"purged={purge_passport_data()}")
