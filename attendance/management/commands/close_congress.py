from django.core.management.base import BaseCommand, CommandError

from attendance.services import close_congress
from congress.models import Congress


class Command(BaseCommand):
    help = (
        "Compute each person's attendance of a congress and feed the membership records. "
        "Idempotent: re-run it after late corrections."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the congress slug")

    def handle(self, *args, slug: str, **options):
        congress = Congress.objects.filter(slug=slug).first()
        if congress is None:
            raise CommandError(f"No congress with slug {slug!r}.")
        result = close_congress(congress=congress)
        self.stdout.write(
            f"Closed {slug}: {result.present} of {result.people} people present, "
            f"{result.organisations} organisations recorded, "
            f"{result.certificates} valid certificates."
        )
