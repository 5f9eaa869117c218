"""Erase personal data of non-members once a congress's retention period has passed.

Schedule it daily (cron or a systemd timer): `python manage.py apply_retention`.
"""

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Erase non-members' personal data of congresses past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD); for catching up or testing.",
        )

    def handle(self, *args, today: datetime.date | None = None, **options) -> None:
        results = apply_retention(today=today or timezone.localdate())
        for result in results:
            self.stdout.write(f"{result.congress_slug}: {result.erased} people erased")
        if not results:
            self.stdout.write("No congress is past its retention period.")
