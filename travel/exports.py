"""Travel exports: rooming lists, transfer manifests and donor reports as CSV, XLSX and PDF."""

import io

import openpyxl
from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl.styles import PatternFill
from reportlab.platypus import Spacer

from common.exports import Sheet, xlsx_bytes
from common.formatting import format_money, minor_to_decimal
from common.pdf.tables import table_document, text_table
from travel.models import CostType
from travel.queries import DonorSection, ManifestRow, RoomingRow

CHANGED_FILL = PatternFill(start_color="FFF2A8", end_color="FFF2A8", fill_type="solid")


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def rooming_sheet(*, hotel_name: str, rows: list[RoomingRow], currency: str) -> Sheet:
    header = [
        gettext("Room"),
        gettext("Occupants"),
        gettext("First night"),
        gettext("Last night"),
        gettext("Nights"),
        gettext("Price"),
    ]
    return Sheet(
        title=hotel_name[:31],
        header=header,
        rows=[
            [
                row.room,
                ", ".join(row.occupants),
                _date(row.first_night),
                _date(row.last_night),
                row.nights,
                format_money(row.price_minor, currency),
            ]
            for row in rows
        ],
    )


def sheet_pdf(*, title: str, sheets: list[Sheet]) -> bytes:
    story = [text_table([[title]], header=False)]
    for sheet in sheets:
        story += [Spacer(1, 8), text_table([[sheet.title]], header=False), Spacer(1, 4)]
        story.append(
            text_table([list(map(str, sheet.header))] + [list(map(str, row)) for row in sheet.rows])
        )
    return table_document(title=title, story=story)


def manifest_sheet(*, rows: list[ManifestRow]) -> Sheet:
    directions = {"arrival": gettext("Arrival"), "departure": gettext("Departure")}
    return Sheet(
        title=gettext("Transfers"),
        header=[
            gettext("Direction"),
            gettext("Airport"),
            gettext("Time window"),
            gettext("Time"),
            gettext("Flight"),
            gettext("Name"),
            gettext("Mobile phone"),
            gettext("Changed since the last export"),
        ],
        rows=[
            [
                directions[row.direction],
                row.airport,
                row.window,
                row.time.strftime("%H:%M"),
                row.flight,
                row.name,
                row.phone,
                gettext("Yes") if row.changed else "",
            ]
            for row in rows
        ],
    )


def manifest_xlsx(*, rows: list[ManifestRow]) -> bytes:
    """The manifest workbook; rows changed after the day's last export are highlighted."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([manifest_sheet(rows=rows)])))
    worksheet = workbook.active
    for index, row in enumerate(rows, start=2):
        if row.changed:
            for cell in worksheet[index]:
                cell.fill = CHANGED_FILL
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def donor_sheets(*, sections: list[DonorSection]) -> list[Sheet]:
    """One sheet of people (one row per person, donor and currency) and one of totals."""
    cost_types = CostType.choices
    people = Sheet(
        title=gettext("Funded people"),
        header=[
            gettext("Donor"),
            gettext("Name"),
            gettext("Country"),
            gettext("Region"),
            gettext("Gender"),
            gettext("First participation"),
            gettext("Currency"),
            *[label for _value, label in cost_types],
            gettext("Awarded"),
            gettext("Paid"),
            gettext("Days present"),
            gettext("Hours attended"),
        ],
        rows=[
            [
                section.donor.name,
                person.name,
                person.country,
                person.region,
                person.gender,
                gettext("Yes") if person.first_time else gettext("No"),
                person.currency,
                *[
                    minor_to_decimal(person.awarded.get(value, 0), person.currency)
                    for value, _label in cost_types
                ],
                minor_to_decimal(person.awarded_total, person.currency),
                minor_to_decimal(person.paid, person.currency),
                person.days_present,
                round(person.attended_minutes / 60, 2),
            ]
            for section in sections
            for person in section.people
        ],
    )
    totals = Sheet(
        title=gettext("Totals"),
        header=[
            gettext("Donor"),
            gettext("Currency"),
            *[label for _value, label in cost_types],
            gettext("Awarded"),
            gettext("Paid"),
            gettext("People funded"),
            gettext("Not named (protected)"),
            gettext("First participation"),
        ],
        rows=[
            [
                section.donor.name,
                currency,
                *[
                    minor_to_decimal(amounts.get(value, 0), currency)
                    for value, _label in cost_types
                ],
                minor_to_decimal(sum(amounts.values()), currency),
                minor_to_decimal(section.paid[currency], currency),
                section.funded,
                section.hidden,
                section.first_time,
            ]
            for section in sections
            for currency, amounts in sorted(section.awarded.items())
        ],
    )
    return [people, totals]
