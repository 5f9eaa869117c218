from django.core.management.base import BaseCommand, CommandError

from badges.models import BadgeTemplate
from badges.queries import SORTS
from badges.rendering import MAX_SHEET_MARGIN_MM
from badges.services import render_congress_badges
from congress.audit import command_resource, record_personal_data_access
from congress.models import Congress


class Command(BaseCommand):
    help = "Render every active badge of a congress into one PDF, sorted for distribution."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", required=True, help="PDF file to write")
        parser.add_argument("--sort", choices=SORTS, default="surname")
        parser.add_argument(
            "--size", choices=[value for value, _label in BadgeTemplate.Size.choices]
        )
        parser.add_argument("--category", action="append", default=[], help="category code")
        parser.add_argument("--country", action="append", default=[], help="ISO country code")
        parser.add_argument(
            "--margin",
            type=int,
            choices=range(0, MAX_SHEET_MARGIN_MM + 1),
            metavar="MM",
            help="printable margin of A4 sheets in mm (default: the badge template's)",
        )

    def handle(self, *args, slug, out, sort, size, category, country, margin=None, **options):
        congress = Congress.objects.filter(slug=slug).first()
        if congress is None:
            raise CommandError(f"No congress with slug {slug!r}.")
        category_ids = list(
            congress.categories.filter(code__in=category).values_list("pk", flat=True)
        )
        with open(out, "wb") as handle:
            count = render_congress_badges(
                congress=congress,
                out=handle,
                sort=sort,
                size=size,
                category_ids=category_ids or None,
                countries=[code.upper() for code in country] or None,
                sheet_margin_mm=margin,
            )
        # Run from a shell: no user to name, but the bulk print is still on the record.
        record_personal_data_access(
            actor=None,
            congress=congress,
            kind="badge_pdf",
            resource=command_resource("render_badges"),
            filters={"sort": sort, "size": size, "category": category, "country": country},
            count=count,
            output_format="pdf",
        )
        self.stdout.write(f"{count} badges written to {out}")
