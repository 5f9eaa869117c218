import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from common.exports import Sheet, export_response, write_csv, write_xlsx

TITLE = '=HYPERLINK("http://x","y")'
# Excel cells hold wall-clock times without a zone: these are what a sheet reads back.
MIDNIGHT = datetime(2027, 6, 15)  # noqa: DTZ001
MORNING = datetime(2027, 6, 15, 9, 30)  # noqa: DTZ001


def read_back(sheets: list[Sheet]):
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return load_workbook(buffer)


@pytest.mark.parametrize(
    "text", [TITLE, "=1+1", "+1", "-1", "@SUM(A1)", "#N/A", "'quoted", "١٢ أكتوبر"]
)
def test_write_xlsx_text_reads_back_as_the_literal_string(text):
    workbook = read_back([Sheet(title="reviews", header=["Title"], rows=[[text]])])

    cell = workbook["reviews"]["A2"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_write_xlsx_header_is_literal_text():
    workbook = read_back([Sheet(title="reviews", header=["=Title", "Score"], rows=[])])

    header = workbook["reviews"][1]
    assert [(cell.value, cell.data_type) for cell in header] == [("=Title", "s"), ("Score", "s")]


def test_write_xlsx_keeps_numbers_booleans_and_dates_typed():
    row = [42, -3, 2.5, Decimal("1.50"), True, date(2027, 6, 15), MORNING]

    workbook = read_back([Sheet(title="figures", header=list("ABCDEFG"), rows=[row])])

    cells = workbook["figures"][2]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (42, "n"),
        (-3, "n"),
        (2.5, "n"),
        (1.5, "n"),
        (True, "b"),
        (MIDNIGHT, "d"),
        (MORNING, "d"),
    ]


def test_write_xlsx_writes_an_aware_datetime_in_the_active_time_zone():
    scanned_at = datetime(2027, 6, 15, 7, 30, tzinfo=UTC)

    with timezone.override("Africa/Tunis"):
        workbook = read_back([Sheet(title="scans", header=["At"], rows=[[scanned_at]])])

    assert workbook["scans"]["A2"].value == MORNING.replace(hour=8)


def test_write_xlsx_empty_cells_stay_empty():
    workbook = read_back([Sheet(title="people", header=["A", "B"], rows=[[None, ""]])])

    assert [cell.value for cell in workbook["people"][2]] == [None, None]


def test_write_xlsx_drops_control_characters_a_worksheet_cannot_hold():
    # Pasted from a PDF: a backspace and a vertical tab inside a registrant's name.
    workbook = read_back(
        [Sheet(title="people", header=["Name"], rows=[["Amina\x08 Ben\x0bAli\tX"]])]
    )

    assert workbook["people"]["A2"].value == "Amina BenAli\tX"


def test_write_xlsx_one_worksheet_per_sheet_with_titles_cut_to_excels_limit():
    workbook = read_back(
        [
            Sheet(title="total", header=["A"], rows=[[1]]),
            Sheet(title="a sheet title longer than thirty-one characters", header=["A"], rows=[]),
        ]
    )

    assert workbook.sheetnames == ["total", "a sheet title longer than thirt"]


def test_write_csv_escapes_exactly_as_defusedcsv_does():
    sheet = Sheet(
        title="reviews",
        header=["=Title", "Score"],
        rows=[
            [TITLE, 4],
            ["+1", -3],
            ["-1", "-1.5"],
            ["@SUM(A1)", "%1"],
            ["|x", None],
            ["أمينة", "plain, with comma"],
        ],
    )

    text = write_csv(sheet)

    assert text.splitlines() == [
        "'=Title,Score",
        '"\'=HYPERLINK(""http://x"",""y"")",4',
        "'+1,-3",
        "-1,-1.5",
        "'@SUM(A1),'%1",
        "'\\|x,",
        'أمينة,"plain, with comma"',
    ]


def test_write_csv_byte_order_mark_starts_the_text_when_asked():
    sheet = Sheet(title="people", header=["Name"], rows=[["أمينة"]])

    assert (write_csv(sheet, byte_order_mark=True), write_csv(sheet)) == (
        "\ufeffName\r\nأمينة\r\n",
        "Name\r\nأمينة\r\n",
    )


def test_export_response_csv_is_a_streamed_attachment():
    read = []

    def rows():
        for number in (1, 2):
            read.append(number)
            yield [f"=row {number}"]

    response = export_response(
        sheets=[Sheet(title="people", header=["Name"], rows=rows())],
        file_format="csv",
        filename="people-world-2027",
    )
    read_before_sending = list(read)
    body = response.getvalue().decode("utf-8")

    assert (
        response.streaming,
        response["Content-Type"],
        response["Content-Disposition"],
        read_before_sending,
        body,
    ) == (
        True,
        "text/csv; charset=utf-8",
        'attachment; filename="people-world-2027.csv"',
        [],
        "\ufeffName\r\n'=row 1\r\n'=row 2\r\n",
    )


def test_export_response_csv_sends_a_long_file_in_a_few_large_pieces():
    def sheet():
        rows = ([number, f"Participant number {number:05d}"] for number in range(5000))
        return Sheet(title="people", header=["ID", "Name"], rows=rows)

    response = export_response(sheets=[sheet()], file_format="csv", filename="people")
    pieces = list(response.streaming_content)

    assert (len(pieces), b"".join(pieces).decode()) == (
        3,
        write_csv(sheet(), byte_order_mark=True),
    )


def test_export_response_xlsx_holds_every_sheet():
    sheets = [
        Sheet(title="total", header=["Label"], rows=[[TITLE]]),
        Sheet(title="day", header=["Label"], rows=[["2027-06-15"]]),
    ]

    response = export_response(sheets=sheets, file_format="xlsx", filename="attendance-world")

    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        workbook.sheetnames,
        workbook["total"]["A2"].value,
    ) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="attendance-world.xlsx"',
        ["total", "day"],
        TITLE,
    )


def test_export_response_csv_refuses_several_sheets():
    sheets = [Sheet(title="a", header=["A"], rows=[]), Sheet(title="b", header=["B"], rows=[])]

    with pytest.raises(ValueError, match="exactly one sheet"):
        export_response(sheets=sheets, file_format="csv", filename="report")
