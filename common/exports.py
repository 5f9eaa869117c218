"""Spreadsheet exports: CSV through defusedcsv, XLSX through openpyxl, both formula-safe.

Every export of the project (registrations, the CfP review dashboard, attendance) goes
through here, so a participant's text can never become a live formula in an organiser's
spreadsheet:

- CSV: defusedcsv prefixes a text starting with `=`, `+`, `-`, `@`, `|` or `%` with `'`
  (numbers such as `-1` stay as they are).
- XLSX: every text cell is written as a literal string (openpyxl's data type `s`, an inline
  string), never a formula (`=...`) nor an error value (`#N/A`); characters a worksheet
  cannot hold (control characters) are dropped instead of failing the whole file.
  Numbers, booleans and dates keep their type.
"""

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import BinaryIO

from defusedcsv import csv
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Spreadsheet programs read a CSV as UTF-8 (Arabic names) only when it starts with this.
BYTE_ORDER_MARK = "\ufeff"
_SHEET_TITLE_MAX = 31  # Excel's limit
_TYPED = (bool, int, float, Decimal, date, time, timedelta)


@dataclass(frozen=True)
class Sheet:
    """One table: a title (the XLSX sheet's name), a header row and the data rows.

    `rows` may be a generator (a queryset's iterator): it is read once, while writing.
    """

    title: str
    header: Sequence[object]
    rows: Iterable[Sequence[object]]


class _Echo:
    """A file that hands back what is written to it, so each CSV line can be streamed."""

    def write(self, text: str) -> str:
        return text


def csv_lines(sheet: Sheet, *, byte_order_mark: bool = False) -> Iterator[str]:
    """The sheet as CSV text, one line at a time, every cell escaped by defusedcsv."""
    writer = csv.writer(_Echo())
    if byte_order_mark:
        yield BYTE_ORDER_MARK
    yield writer.writerow(sheet.header)
    for row in sheet.rows:
        yield writer.writerow(row)


def _chunks(lines: Iterable[str], size: int = 64 * 1024) -> Iterator[str]:
    """Lines joined into pieces of about `size` characters: fewer, larger writes when sent."""
    chunk: list[str] = []
    length = 0
    for line in lines:
        chunk.append(line)
        length += len(line)
        if length >= size:
            yield "".join(chunk)
            chunk, length = [], 0
    if chunk:
        yield "".join(chunk)


def write_csv(sheet: Sheet, *, byte_order_mark: bool = False) -> str:
    """The whole sheet as CSV text (see `csv_lines`)."""
    return "".join(csv_lines(sheet, byte_order_mark=byte_order_mark))


def write_xlsx(sheets: Iterable[Sheet], file: BinaryIO) -> None:
    """Write one worksheet per sheet into `file` (a binary file open for writing).

    A write-only workbook: rows go to disk as they come, so memory stays flat however
    many rows there are. Text is never a formula; see the module's docstring.
    """
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:_SHEET_TITLE_MAX])
        worksheet.append([_xlsx_cell(worksheet, value) for value in sheet.header])
        for row in sheet.rows:
            worksheet.append([_xlsx_cell(worksheet, value) for value in row])
    workbook.save(file)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def _xlsx_cell(worksheet, value: object) -> object:
    if value is None or isinstance(value, _TYPED):
        if isinstance(value, datetime) and timezone.is_aware(value):
            # Excel has no time zones: write the wall-clock time of the active time zone.
            return timezone.make_naive(value)
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(worksheet, value=text)
    # openpyxl guesses a formula from a leading "=" and an error from "#N/A": a participant's
    # text must stay the literal text they typed.
    cell.data_type = "s"
    return cell


def export_response(
    *, sheets: Sequence[Sheet], file_format: str, filename: str, byte_order_mark: bool = True
) -> HttpResponse | StreamingHttpResponse:
    """A download of the sheets: `filename` plus the format's extension, as an attachment.

    CSV holds a single sheet and is streamed line by line (a queryset's iterator in the
    rows is read while the file is sent); `byte_order_mark` starts it with the UTF-8 mark
    spreadsheet programs need. XLSX holds every sheet and is sent once written.
    """
    disposition = content_disposition_header(True, f"{filename}.{file_format}")
    if file_format == CSV:
        if len(sheets) != 1:
            raise ValueError("A CSV file holds exactly one sheet.")
        response = StreamingHttpResponse(
            _chunks(csv_lines(sheets[0], byte_order_mark=byte_order_mark)),
            content_type=CONTENT_TYPES[CSV],
        )
    elif file_format == XLSX:
        response = HttpResponse(xlsx_bytes(sheets), content_type=CONTENT_TYPES[XLSX])
    else:
        raise ValueError(f"Unknown export format: {file_format!r}")
    response["Content-Disposition"] = disposition
    return response
