"""Compile .po catalogues to .mo without GNU gettext (fallback for `make` when msgfmt is
missing). Uses the pure-Python `polib` when available, else tells how to get msgfmt."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo without GNU gettext."

    def handle(self, *args, **options):
        try:
            import polib
        except ImportError as error:
            raise CommandError(
                "Neither GNU gettext (msgfmt) nor polib is installed: "
                "apt-get install gettext, or pip install polib."
            ) from error
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path}")
