"""Bank statement import: transfers matched to registrations and delegations by reference.

A statement is queued (`queue_bank_statement`, the upload page) and imported by a background
task (`run_bank_statement_import`), or imported at once (`import_bank_statement`, the
management command). Either way:
- a line is imported once: its key (the bank's transaction id, or a hash of date, amount,
  currency, reference, payer and occurrence) is unique per congress, so importing the same
  statement again, or two overlapping statements, counts the known lines as "duplicate";
- a line whose text has no `REG-`/`GRP-` reference of this congress is "unmatched" and waits
  for a person to assign it (`resolve_bank_line`); it never pays anybody by itself;
- a line that cannot be read exactly is refused with its line number; the rest is imported;
- debits (money going out) are counted and not stored.
"""

import re
from collections import Counter
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.services import record_audit
from registrations import bank_formats
from registrations.exceptions import InvalidStatement
from registrations.models import (
    BankImportMapping,
    BankStatementImport,
    BankTransferLine,
    Payment,
    Registration,
    RegistrationGroup,
)
from registrations.services.payments import record_payment, record_transfers

REFERENCE_PATTERN = re.compile(r"\b(REG|GRP)[\s\-_.]*([A-HJ-NP-Z2-9]{8})\b")
CHUNK_SIZE = 500
SUMMARY_KEYS = (
    "matched",
    "partial",
    "overpaid",
    "unmatched",
    "wrong_currency",
    "duplicate",
    "refused",
    "debit",
)
Outcome = BankTransferLine.Outcome
PAYING_OUTCOMES = (Outcome.MATCHED, Outcome.PARTIAL, Outcome.OVERPAID)
State = BankStatementImport.State


def find_reference(text: str) -> str:
    """The first `REG-XXXXXXXX` or `GRP-XXXXXXXX` in a transfer's text ("" when none)."""
    match = REFERENCE_PATTERN.search(text.upper())
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def layout_of(mapping: BankImportMapping | None) -> bank_formats.CsvLayout:
    if mapping is None:
        return bank_formats.CsvLayout()
    return bank_formats.CsvLayout(
        date_column=mapping.date_column,
        amount_column=mapping.amount_column,
        reference_column=mapping.reference_column,
        payer_column=mapping.payer_column,
        currency_column=mapping.currency_column,
        transaction_id_column=mapping.transaction_id_column,
        delimiter=mapping.delimiter,
        decimal_separator=mapping.decimal_separator,
        thousands_separator=mapping.thousands_separator,
        encoding=mapping.encoding,
        date_format=mapping.date_format,
    )


def queue_bank_statement(
    *,
    congress: Congress,
    content: bytes,
    file_name: str,
    actor: AbstractBaseUser | None,
    file_format: str = BankStatementImport.Format.CSV,
    mapping: BankImportMapping | None = None,
) -> BankStatementImport:
    """Store an uploaded statement and queue its import (after commit).

    Raises InvalidStatement for a file over 2 MB, an unknown format or a mapping of another
    congress. Reading the lines happens in the task.
    """
    from registrations.tasks import import_bank_statement_task

    if len(content) > bank_formats.MAX_STATEMENT_BYTES:
        raise InvalidStatement(_("The file is too large (2 MB at most)."))
    if file_format not in bank_formats.Format.ALL:
        raise InvalidStatement(_("Unknown statement format."))
    if mapping is not None and mapping.congress_id != congress.pk:
        raise InvalidStatement(_("Choose a mapping of this congress."))
    statement = BankStatementImport.objects.create(
        congress=congress,
        imported_by=actor,
        file_name=file_name[:255],
        file_format=file_format,
        mapping=mapping,
        layout=asdict(layout_of(mapping)),
        content=content,
        language=_current_language(),
    )
    transaction.on_commit(lambda: import_bank_statement_task.enqueue(statement.pk))
    return statement


def import_bank_statement(
    *,
    congress: Congress,
    content: bytes,
    file_name: str,
    actor: AbstractBaseUser | None,
    file_format: str = BankStatementImport.Format.CSV,
    mapping: BankImportMapping | None = None,
) -> BankStatementImport:
    """Import a statement now (the management command). Returns the finished import, whose
    `summary` counts each outcome; raises InvalidStatement when the file is not a statement
    in that format (nothing is imported then)."""
    if len(content) > bank_formats.MAX_STATEMENT_BYTES:
        raise InvalidStatement(_("The file is too large (2 MB at most)."))
    statement = BankStatementImport.objects.create(
        congress=congress,
        imported_by=actor,
        file_name=file_name[:255],
        file_format=file_format,
        mapping=mapping,
        layout=asdict(layout_of(mapping)),
        content=content,
        language=_current_language(),
    )
    statement = run_bank_statement_import(statement_id=statement.pk)
    if statement.state == State.FAILED:
        message = statement.failure_message
        statement.delete()
        raise InvalidStatement(message)
    return statement


def _current_language() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else "en"


def _claim(statement_id: int) -> BankStatementImport | None:
    with transaction.atomic():
        statement = BankStatementImport.objects.select_for_update().get(pk=statement_id)
        if statement.state != State.QUEUED:
            return None
        statement.state = State.RUNNING
        statement.save(update_fields=["state"])
    return statement


def run_bank_statement_import(*, statement_id: int) -> BankStatementImport:
    """Read a queued statement and import its lines in chunks of 500, each chunk in its own
    transaction (progress is visible between chunks). Runs once: a statement that is not
    queued any more is returned as it is. A file that is not a statement ends "failed"."""
    statement = _claim(statement_id)
    if statement is None:
        return BankStatementImport.objects.get(pk=statement_id)
    with translation.override(statement.language):
        try:
            return _run_claimed(statement)
        except Exception:
            # Chunks already committed stay (their lines are known, so importing the file
            # again finishes the job); the page must not show "Importing" forever.
            BankStatementImport.objects.filter(pk=statement.pk).update(
                state=State.FAILED,
                content=b"",
                finished_at=timezone.now(),
                failure_message=_(
                    "The import stopped on an error. The lines imported so far are kept: "
                    "import the file again to finish (lines already imported are skipped)."
                ),
            )
            raise


def _run_claimed(statement: BankStatementImport) -> BankStatementImport:
    congress = statement.congress
    try:
        rows, errors = bank_formats.parse_statement(
            bytes(statement.content),
            file_format=statement.file_format,
            layout=bank_formats.CsvLayout(**statement.layout),
            default_currency=congress.currency,
        )
    except InvalidStatement as error:
        statement.state = State.FAILED
        statement.failure_message = str(error.message)[:500]
        statement.content = b""
        statement.finished_at = timezone.now()
        statement.save(update_fields=["state", "failure_message", "content", "finished_at"])
        return statement
    statement.total_lines = len(rows) + len(errors)
    statement.line_errors = [{"line": item.line_number, "message": item.message} for item in errors]
    statement.summary = dict.fromkeys(SUMMARY_KEYS, 0) | {"refused": len(errors)}
    statement.processed_lines = len(errors)
    statement.save(update_fields=["total_lines", "line_errors", "summary", "processed_lines"])
    _import_rows(statement, congress, _keyed(rows))
    statement.state = State.DONE
    statement.content = b""
    statement.finished_at = timezone.now()
    statement.save(update_fields=["state", "content", "finished_at"])
    record_audit(
        action="bank_statement.imported",
        congress=congress,
        actor=statement.imported_by,
        target=statement,
        detail={"summary": statement.summary},
    )
    return statement


def _keyed(rows: list[bank_formats.StatementRow]) -> list[tuple[str, bank_formats.StatementRow]]:
    seen: Counter = Counter()
    keyed = []
    for row in rows:
        seen[row.identity()] += 1
        keyed.append((row.line_key(seen[row.identity()]), row))
    return keyed


@dataclass
class _Payers:
    """Every payment reference of the congress, loaded once per import."""

    registrations: dict[str, Registration]
    groups: dict[str, RegistrationGroup]
    outstanding: dict[str, int]

    @classmethod
    def load(cls, congress: Congress) -> "_Payers":
        registrations = {
            item.payment_reference: item
            for item in Registration.objects.filter(congress=congress)
            .exclude(payment_reference="")
            .select_related("congress", "category")
        }
        groups = {
            item.payment_reference: item
            for item in RegistrationGroup.objects.filter(congress=congress)
            .select_related("congress")
            .prefetch_related("registrations")
        }
        outstanding = {ref: item.amount_outstanding_minor for ref, item in registrations.items()}
        for ref, group in groups.items():
            outstanding[ref] = sum(
                member.amount_outstanding_minor
                for member in group.registrations.all()
                if member.status == Registration.Status.PENDING_PAYMENT
            )
        return cls(registrations=registrations, groups=groups, outstanding=outstanding)


def _import_rows(statement: BankStatementImport, congress: Congress, keyed: list) -> None:
    payers = _Payers.load(congress)
    for start in range(0, len(keyed), CHUNK_SIZE):
        chunk = keyed[start : start + CHUNK_SIZE]
        with transaction.atomic():
            # One import at a time per congress: the key check below and the insert agree.
            Congress.objects.select_for_update().only("pk").get(pk=congress.pk)
            known = set(
                BankTransferLine.objects.filter(
                    congress=congress, line_key__in=[key for key, _row in chunk]
                ).values_list("line_key", flat=True)
            )
            lines = []
            for key, row in chunk:
                if key in known:
                    statement.summary["duplicate"] += 1
                elif row.amount_minor <= 0:
                    statement.summary["debit"] += 1
                else:
                    known.add(key)
                    line = _match_line(statement, congress, key, row, payers)
                    statement.summary[line.outcome] += 1
                    lines.append(line)
            _pay_matched(statement, congress, lines)
            BankTransferLine.objects.bulk_create(lines)
            statement.processed_lines += len(chunk)
            statement.save(update_fields=["summary", "processed_lines"])


def _pay_matched(statement, congress, lines: list[BankTransferLine]) -> None:
    """Record the money of the matched lines: registrations in one batch, delegations one
    by one (their payment is spread over the delegates)."""
    paying = [line for line in lines if line.outcome in PAYING_OUTCOMES]
    singles = [line for line in paying if line.registration is not None]
    payments = record_transfers(
        congress=congress,
        transfers=[(line.registration, line.amount_minor) for line in singles],
        actor=statement.imported_by,
    )
    for line, payment in zip(singles, payments, strict=True):
        line.payment = payment
    for line in paying:
        if line.group is not None:
            line.payment = record_payment(
                group=line.group,
                amount_minor=line.amount_minor,
                currency=line.currency,
                method=Payment.Method.TRANSFER,
                actor=statement.imported_by,
            )


def _match_line(statement, congress, key, row, payers: _Payers) -> BankTransferLine:
    line = BankTransferLine(
        congress=congress,
        statement=statement,
        line_key=key,
        line_number=row.line_number,
        booked_on=row.booked_on,
        amount_minor=row.amount_minor,
        currency=row.currency,
        reference_text=row.reference_text,
        payer_name=row.payer_name,
        bank_transaction_id=row.bank_transaction_id,
    )
    reference = find_reference(row.reference_text)
    registration = payers.registrations.get(reference) if reference else None
    group = payers.groups.get(reference) if reference else None
    if registration is None and group is None:
        line.outcome = Outcome.UNMATCHED
        return line
    line.registration, line.group = registration, group
    if row.currency != congress.currency:
        line.outcome = Outcome.WRONG_CURRENCY
        return line
    outstanding = payers.outstanding[reference]
    if row.amount_minor == outstanding:
        line.outcome = Outcome.MATCHED
    elif row.amount_minor < outstanding:
        line.outcome = Outcome.PARTIAL
    else:
        line.outcome = Outcome.OVERPAID
    payers.outstanding[reference] = max(outstanding - row.amount_minor, 0)
    line.is_reviewed = line.outcome == Outcome.MATCHED
    return line


def resolve_bank_line(
    *,
    line: BankTransferLine,
    actor: AbstractBaseUser,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
) -> BankTransferLine:
    """Review a line: assign an unmatched transfer to a registration or a delegation (the
    money is then recorded as paid by them), or only mark it handled.

    Locks the line: a line is assigned at most once. Raises InvalidStatement when the
    registration or delegation belongs to another congress.
    """
    payer = registration or group
    if payer is not None and payer.congress_id != line.congress_id:
        raise InvalidStatement(_("Choose a registration of this congress."))
    with transaction.atomic():
        line = BankTransferLine.objects.select_for_update().get(pk=line.pk)
        if payer is not None and line.payment_id is None and line.amount_minor > 0:
            line.registration, line.group = registration, group
            line.payment = record_payment(
                registration=registration,
                group=group,
                amount_minor=line.amount_minor,
                currency=line.currency,
                method=Payment.Method.TRANSFER,
                actor=actor,
            )
        line.is_reviewed = True
        line.save()
        record_audit(
            action="bank_line.reviewed",
            congress=line.congress,
            actor=actor,
            target=line,
            detail={
                "registration": registration.pk if registration else None,
                "group": group.pk if group else None,
            },
        )
    return line
