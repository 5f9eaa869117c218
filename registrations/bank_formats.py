"""Reading bank statements: CSV with a saved column mapping, CAMT.053 and MT940.

No database access here: a file goes in, `StatementRow`s and per-line errors come out. A
line that cannot be read exactly (an amount that is not a number in the bank's locale, more
decimals than the currency has, an amount over the column limit, a date that is not a date)
is refused with its line number; the other lines are still read. A file that is not a
statement at all raises InvalidStatement.

CAMT.053 is read by `pycamt` (lxml with entity resolution and network access off), MT940 by
`mt-940`; both are pinned in pyproject.toml.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.utils.translation import gettext as _

from registrations.exceptions import InvalidStatement

MAX_STATEMENT_BYTES = 2 * 1024 * 1024
# The amount columns are 32-bit integers in minor units (21,474,836.47 for a 2-decimal
# currency): anything larger is refused instead of overflowing in the database.
MAX_AMOUNT_MINOR = 2**31 - 1
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}")


class Format:
    CSV = "csv"
    CAMT053 = "camt053"
    MT940 = "mt940"
    ALL = (CSV, CAMT053, MT940)


@dataclass(frozen=True)
class CsvLayout:
    """How one bank writes its CSV export (saved per bank as a BankImportMapping)."""

    date_column: str = "date"
    amount_column: str = "amount"
    reference_column: str = "reference"
    payer_column: str = ""
    currency_column: str = "currency"
    transaction_id_column: str = ""
    delimiter: str = ","
    decimal_separator: str = "."
    thousands_separator: str = ""
    encoding: str = "utf-8-sig"
    date_format: str = ""


@dataclass
class StatementRow:
    line_number: int
    booked_on: datetime.date
    amount_minor: int  # negative for a debit
    currency: str
    reference_text: str
    payer_name: str = ""
    bank_transaction_id: str = ""

    def line_key(self, occurrence: int) -> str:
        """A stable key for this line: the bank's own transaction id when it gives one,
        otherwise a hash of what the line says plus its occurrence among identical lines."""
        if self.bank_transaction_id:
            raw = f"id|{self.bank_transaction_id}"
        else:
            raw = (
                f"{self.booked_on}|{self.amount_minor}|{self.currency}|"
                f"{self.reference_text}|{self.payer_name}|{occurrence}"
            )
        return hashlib.sha256(raw.encode()).hexdigest()

    def identity(self) -> tuple:
        return (
            self.booked_on,
            self.amount_minor,
            self.currency,
            self.reference_text,
            self.payer_name,
        )


@dataclass(frozen=True)
class LineError:
    line_number: int
    message: str


class LineRefused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def decimal_to_minor(value: Decimal, *, currency: str) -> int:
    """The exact amount in minor units; raises LineRefused when it cannot be exact."""
    if not value.is_finite():
        raise LineRefused(_("The amount is not a number."))
    precision = get_currency_precision(currency)
    scaled = value.scaleb(precision)
    if scaled != scaled.to_integral_value():
        raise LineRefused(
            _("The amount has more decimals than %(currency)s allows (%(precision)s).")
            % {"currency": currency, "precision": precision}
        )
    if abs(scaled) > MAX_AMOUNT_MINOR:
        raise LineRefused(_("The amount is too large."))
    return int(scaled)


def parse_amount(text: str, *, currency: str, decimal_separator: str, thousands_separator: str):
    """An amount written in the bank's locale, in minor units, read exactly.

    "1.234,56" with decimal "," and thousands "." is 123456 cents; "1.500" with the same
    separators is 150000. Thousands groups must have three digits, so "1.50" with thousands
    "." is refused instead of being guessed. A trailing minus ("12,00-") is a debit.
    """
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "")
    if thousands_separator != " ":
        cleaned = cleaned.replace(" ", "")
    negative = cleaned.startswith("-") or cleaned.endswith("-")
    cleaned = cleaned.strip("+-")
    thousands = re.escape(thousands_separator) if thousands_separator else None
    integer = rf"\d{{1,3}}(?:{thousands}\d{{3}})+|\d+" if thousands else r"\d+"
    pattern = rf"(?P<integer>{integer})(?:{re.escape(decimal_separator)}(?P<fraction>\d+))?"
    match = re.fullmatch(pattern, cleaned)
    if match is None:
        raise LineRefused(
            _("“%(amount)s” is not an amount written with “%(decimal)s” for decimals.")
            % {"amount": text.strip()[:40], "decimal": decimal_separator}
        )
    digits = match.group("integer").replace(thousands_separator or "_", "")
    number = f"{digits}.{match.group('fraction') or '0'}"
    try:
        value = Decimal(number)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits digits only
        raise LineRefused(_("The amount is not a number.")) from error
    return decimal_to_minor(-value if negative else value, currency=currency)


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d")


def parse_date(text: str, date_format: str = "") -> datetime.date:
    for pattern in (date_format,) if date_format else DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a booking date, no time
        except ValueError:
            continue
    raise LineRefused(_("“%(date)s” is not a date.") % {"date": text.strip()[:40]})


def _check_size(content: bytes) -> None:
    if len(content) > MAX_STATEMENT_BYTES:
        raise InvalidStatement(_("The file is too large (2 MB at most)."))


def parse_csv(
    content: bytes, *, layout: CsvLayout, default_currency: str
) -> tuple[list[StatementRow], list[LineError]]:
    """Rows of a CSV statement read with `layout`; line numbers count the header as 1."""
    _check_size(content)
    try:
        text = content.decode(layout.encoding or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as error:
        raise InvalidStatement(
            _("The file is not in the encoding of this mapping (%(encoding)s).")
            % {"encoding": layout.encoding}
        ) from error
    reader = csv.reader(io.StringIO(text), delimiter=layout.delimiter or ",")
    header = [name.strip().lower() for name in next(reader, [])]
    columns = {
        "date": layout.date_column,
        "amount": layout.amount_column,
        "reference": layout.reference_column,
        "payer": layout.payer_column,
        "currency": layout.currency_column,
        "transaction_id": layout.transaction_id_column,
    }
    positions = {}
    for role, name in columns.items():
        if not name:
            continue
        try:
            positions[role] = header.index(name.strip().lower())
        except ValueError:
            if role in ("date", "amount", "reference"):
                raise InvalidStatement(
                    _("The file has no column “%(column)s”.") % {"column": name}
                ) from None
    rows, errors = [], []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        try:
            rows.append(_csv_row(values, positions, layout, default_currency, line_number))
        except LineRefused as refused:
            errors.append(LineError(line_number, refused.message))
    return rows, errors


def _csv_row(values, positions, layout, default_currency, line_number) -> StatementRow:
    def cell(role: str) -> str:
        index = positions.get(role)
        if index is None:
            return ""
        if index >= len(values):
            raise LineRefused(_("The line has fewer columns than the header."))
        return values[index].strip()

    currency = (cell("currency") or default_currency).upper()
    if not CURRENCY_PATTERN.fullmatch(currency):
        raise LineRefused(_("“%(currency)s” is not a currency code.") % {"currency": currency})
    return StatementRow(
        line_number=line_number,
        booked_on=parse_date(cell("date"), layout.date_format),
        amount_minor=parse_amount(
            cell("amount"),
            currency=currency,
            decimal_separator=layout.decimal_separator,
            thousands_separator=layout.thousands_separator,
        ),
        currency=currency,
        reference_text=cell("reference")[:500],
        payer_name=cell("payer")[:200],
        bank_transaction_id=cell("transaction_id")[:100],
    )


def parse_camt053(content: bytes) -> tuple[list[StatementRow], list[LineError]]:
    """Booked entries of an ISO 20022 CAMT.053 statement; the line number is the entry's
    position in the file (1 for the first transaction)."""
    from lxml.etree import LxmlError
    from pycamt.parser import Camt053Parser

    _check_size(content)
    if b"BkToCstmrStmt" not in content:
        raise InvalidStatement(_("The file is not a CAMT.053 statement."))
    try:
        transactions = Camt053Parser(content).get_transactions()
    except (LxmlError, ValueError, AttributeError, TypeError) as error:
        raise InvalidStatement(_("The file is not a CAMT.053 statement.")) from error
    rows, errors = [], []
    for line_number, item in enumerate(transactions, start=1):
        if item.get("Status") not in (None, "BOOK"):
            continue
        try:
            rows.append(_camt_row(item, line_number))
        except LineRefused as refused:
            errors.append(LineError(line_number, refused.message))
    return rows, errors


def _camt_row(item: dict, line_number: int) -> StatementRow:
    currency = (item.get("Currency") or "").upper()
    if not CURRENCY_PATTERN.fullmatch(currency):
        raise LineRefused(_("“%(currency)s” is not a currency code.") % {"currency": currency})
    try:
        value = Decimal((item.get("Amount") or "").strip())
    except InvalidOperation as error:
        raise LineRefused(_("The amount is not a number.")) from error
    if item.get("CreditDebitIndicator") == "DBIT":
        value = -value
    reference = (
        item.get("RemittanceInformationFull")
        or item.get("RemittanceInformation")
        or item.get("AdditionalEntryInformation")
        or ""
    )
    transaction_id = item.get("TransactionID") or ""
    end_to_end = item.get("EndToEndId") or ""
    if end_to_end and end_to_end != "NOTPROVIDED":
        transaction_id = f"{transaction_id}/{end_to_end}"
    return StatementRow(
        line_number=line_number,
        booked_on=parse_date((item.get("BookingDate") or item.get("ValueDate") or "")[:10]),
        amount_minor=decimal_to_minor(value, currency=currency),
        currency=currency,
        reference_text=reference.strip()[:500],
        payer_name=(item.get("DebtorName") or "").strip()[:200],
        bank_transaction_id=transaction_id[:100],
    )


def parse_mt940(content: bytes) -> tuple[list[StatementRow], list[LineError]]:
    """Transactions (field :61: with its :86: purpose) of a SWIFT MT940 statement; the line
    number is the transaction's position in the file."""
    import mt940

    _check_size(content)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    try:
        transactions = list(mt940.parse(text))
    except (ValueError, KeyError, TypeError, AttributeError, RuntimeError) as error:
        raise InvalidStatement(_("The file is not an MT940 statement.")) from error
    if not transactions and ":61:" in text:
        raise InvalidStatement(_("The file is not an MT940 statement."))
    if ":20:" not in text:
        raise InvalidStatement(_("The file is not an MT940 statement."))
    rows, errors = [], []
    for line_number, transaction in enumerate(transactions, start=1):
        try:
            rows.append(_mt940_row(transaction.data, line_number))
        except LineRefused as refused:
            errors.append(LineError(line_number, refused.message))
    return rows, errors


def _mt940_row(data: dict, line_number: int) -> StatementRow:
    amount = data.get("amount")
    if amount is None:
        raise LineRefused(_("The amount is not a number."))
    currency = (amount.currency or "").upper()
    if not CURRENCY_PATTERN.fullmatch(currency):
        raise LineRefused(_("“%(currency)s” is not a currency code.") % {"currency": currency})
    booked = data.get("entry_date") or data.get("date")
    reference = " ".join(
        part
        for part in (
            data.get("purpose") or data.get("transaction_details") or "",
            data.get("extra_details") or "",
        )
        if part
    )
    bank_reference = (data.get("bank_reference") or "").strip()
    transaction_id = "" if bank_reference in ("", "NONREF") else bank_reference
    return StatementRow(
        line_number=line_number,
        booked_on=datetime.date(booked.year, booked.month, booked.day),
        amount_minor=decimal_to_minor(amount.amount, currency=currency),
        currency=currency,
        reference_text=" ".join(reference.split())[:500],
        payer_name=(data.get("applicant_name") or "").strip()[:200],
        bank_transaction_id=transaction_id[:100],
    )


def parse_statement(
    content: bytes, *, file_format: str, layout: CsvLayout | None, default_currency: str
) -> tuple[list[StatementRow], list[LineError]]:
    """Read a statement in `file_format` (Format.CSV, CAMT053 or MT940)."""
    if file_format == Format.CAMT053:
        return parse_camt053(content)
    if file_format == Format.MT940:
        return parse_mt940(content)
    if file_format == Format.CSV:
        return parse_csv(content, layout=layout or CsvLayout(), default_currency=default_currency)
    raise InvalidStatement(_("Unknown statement format."))
