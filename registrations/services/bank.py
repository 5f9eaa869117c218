"""Bank statement import: transfers matched to registrations by payment reference."""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from congress.models import Congress
from congress.services import record_audit
from registrations.exceptions import InvalidStatement
from registrations.models import (
    BankStatementImport,
    BankTransferLine,
    Payment,
    Registration,
    RegistrationGroup,
)
from registrations.services.payments import record_payment

MAX_STATEMENT_BYTES = 2 * 1024 * 1024
REFERENCE_PATTERN = re.compile(r"\b(REG|GRP)[\s\-_.]*([A-HJ-NP-Z2-9]{8})\b")
Outcome = BankTransferLine.Outcome


@dataclass
class StatementRow:
    booked_on: datetime.date
    amount_minor: int
    currency: str
    reference_text: str


@dataclass
class ImportResult:
    statement: BankStatementImport
    counts: dict = field(default_factory=dict)
    skipped_duplicates: int = 0


def _parse_date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a booking date, no time
        except ValueError:
            continue
    raise InvalidStatement()


def _parse_amount(text: str, currency: str) -> int:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:
        raise InvalidStatement() from error
    return int(value.scaleb(get_currency_precision(currency)).to_integral_value())


def parse_statement(content: bytes) -> list[StatementRow]:
    """Rows of a CSV statement with the columns date, amount, currency, reference."""
    if len(content) > MAX_STATEMENT_BYTES:
        raise InvalidStatement()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidStatement() from error
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"date", "amount", "currency", "reference"} <= columns:
        raise InvalidStatement()
    rows = []
    for raw in reader:
        row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
        currency = row["currency"].upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise InvalidStatement()
        rows.append(
            StatementRow(
                booked_on=_parse_date(row["date"]),
                amount_minor=_parse_amount(row["amount"], currency),
                currency=currency,
                reference_text=row["reference"][:500],
            )
        )
    return rows


def find_reference(text: str) -> str:
    match = REFERENCE_PATTERN.search(text.upper())
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def _line_key(row: StatementRow, occurrence: int) -> str:
    raw = f"{row.booked_on}|{row.amount_minor}|{row.currency}|{row.reference_text}|{occurrence}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _payer(congress: Congress, reference: str):
    if reference.startswith("GRP-"):
        return None, RegistrationGroup.objects.filter(
            congress=congress, payment_reference=reference
        ).first()
    return (
        Registration.objects.filter(congress=congress, payment_reference=reference).first(),
        None,
    )


def _outstanding(registration: Registration | None, group: RegistrationGroup | None) -> int:
    if registration is not None:
        return registration.amount_outstanding_minor
    return sum(
        item.amount_outstanding_minor
        for item in group.registrations.all()
        if item.status == Registration.Status.PENDING_PAYMENT
    )


def _match_line(line: BankTransferLine, congress: Congress, actor) -> None:
    registration, group = _payer(congress, find_reference(line.reference_text))
    if registration is None and group is None:
        line.outcome = Outcome.UNMATCHED
        return
    line.registration, line.group = registration, group
    if line.currency != congress.currency or line.amount_minor <= 0:
        line.outcome = Outcome.WRONG_CURRENCY
        return
    outstanding = _outstanding(registration, group)
    if line.amount_minor == outstanding:
        line.outcome = Outcome.MATCHED
    elif line.amount_minor < outstanding:
        line.outcome = Outcome.PARTIAL
    else:
        line.outcome = Outcome.OVERPAID
    line.payment = record_payment(
        registration=registration,
        group=group,
        amount_minor=line.amount_minor,
        currency=line.currency,
        method=Payment.Method.TRANSFER,
        actor=actor,
    )


def import_bank_statement(
    *, congress: Congress, content: bytes, file_name: str, actor: AbstractBaseUser
) -> ImportResult:
    """Import a statement: every new line is matched by its payment reference and recorded.

    A line already imported (same date, amount, currency, reference and occurrence) is
    skipped, so importing the same statement twice matches nothing twice. Unmatched,
    partial, over-paid and wrong-currency lines wait on the review screen.
    Raises InvalidStatement for a file that is not such a CSV.
    """
    rows = parse_statement(content)
    with transaction.atomic():
        statement = BankStatementImport.objects.create(
            congress=congress, imported_by=actor, file_name=file_name[:255]
        )
        result = ImportResult(statement=statement)
        seen: dict[tuple, int] = {}
        for row in rows:
            identity = (row.booked_on, row.amount_minor, row.currency, row.reference_text)
            seen[identity] = seen.get(identity, 0) + 1
            key = _line_key(row, seen[identity])
            if BankTransferLine.objects.filter(congress=congress, line_key=key).exists():
                result.skipped_duplicates += 1
                continue
            line = BankTransferLine(
                congress=congress,
                statement=statement,
                line_key=key,
                booked_on=row.booked_on,
                amount_minor=row.amount_minor,
                currency=row.currency,
                reference_text=row.reference_text,
            )
            _match_line(line, congress, actor)
            line.is_reviewed = line.outcome == Outcome.MATCHED
            line.save()
            result.counts[line.outcome] = result.counts.get(line.outcome, 0) + 1
        record_audit(
            action="bank_statement.imported",
            congress=congress,
            actor=actor,
            target=statement,
            detail={"counts": result.counts, "skipped": result.skipped_duplicates},
        )
    return result


def resolve_bank_line(
    *,
    line: BankTransferLine,
    actor: AbstractBaseUser,
    registration: Registration | None = None,
) -> BankTransferLine:
    """Review a line: assign an unmatched transfer to a registration, or mark it handled."""
    with transaction.atomic():
        line = BankTransferLine.objects.select_for_update().get(pk=line.pk)
        if registration is not None and line.payment_id is None:
            line.registration = registration
            line.payment = record_payment(
                registration=registration,
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
            detail={"registration": registration.pk if registration else None},
        )
    return line
