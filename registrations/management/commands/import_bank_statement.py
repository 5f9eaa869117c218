import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.exceptions import DomainError
from congress.models import Congress
from registrations.models import BankImportMapping, BankStatementImport
from registrations.services import import_bank_statement


class Command(BaseCommand):
    help = (
        "Import a bank statement (CSV, CAMT.053 or MT940) into a congress and print a JSON "
        "summary: matched, partial, overpaid, unmatched, wrong_currency, duplicate, refused, "
        "debit. Idempotent: lines already imported count as duplicate."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=BankStatementImport.Format.values,
            default=BankStatementImport.Format.CSV,
        )
        parser.add_argument(
            "--mapping", default="", help="Name of the congress's saved CSV mapping (bank)."
        )

    def handle(self, *args, slug: str, file: str, file_format: str, mapping: str, **options):
        congress = Congress.objects.filter(slug=slug).first()
        if congress is None:
            raise CommandError(f"No congress {slug!r}.")
        saved = None
        if mapping:
            saved = BankImportMapping.objects.filter(congress=congress, name=mapping).first()
            if saved is None:
                raise CommandError(f"No mapping {mapping!r} in this congress.")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            statement = import_bank_statement(
                congress=congress,
                content=content,
                file_name=path.name,
                actor=None,
                file_format=file_format,
                mapping=saved,
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        summary = dict(statement.summary)
        summary["refused_lines"] = statement.line_errors
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
