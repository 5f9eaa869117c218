"""Attendance exports: rows for CSV and XLSX (written by common.exports) and a printable PDF."""

from django.utils.translation import gettext, pgettext
from reportlab.platypus import Spacer

from attendance.queries import AttendanceReport, PersonRow
from common.exports import Sheet
from common.i18n import localized
from common.pdf.tables import table_document, text_table

REPORT_COLUMNS = (
    "section",
    "key",
    "label",
    "registered_on_site",
    "registered_online",
    "checked_in",
    "online",
    "online_hours",
    "signed_up",
    "attended",
    "no_show_rate",
    "people_trained",
    "training_hours",
)
PEOPLE_COLUMNS = (
    "registration_id",
    "name",
    "organisation",
    "category",
    "country",
    "days_present",
    "sessions_attended",
    "attended_hours",
    "training_hours",
    "is_online",
    "online_hours",
)


def _hours(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def _figures(line) -> dict:
    """The registered, present and online figures of the total or of one report line."""
    return {
        "registered_on_site": line.registered_on_site,
        "registered_online": line.registered_online,
        "checked_in": line.checked_in,
        "online": line.online,
        "online_hours": _hours(line.online_minutes),
    }


def report_rows(report: AttendanceReport) -> list[dict]:
    """The whole report as flat rows (one per figure line), for CSV, XLSX and the API.

    Registrations of online categories are counted apart (`registered_online`) from those
    on site (`registered_on_site`); `online` is the people who joined a session's stream
    and `online_hours` their time there (per session: `online` people)."""
    rows = [
        {
            "section": "total",
            "key": "all",
            "label": gettext("All participants"),
            **_figures(report),
        }
    ]
    for section, lines in (
        ("day", report.days),
        ("category", report.categories),
        ("country", report.countries),
        ("organisation", report.organisations),
    ):
        rows += [
            {
                "section": section,
                "key": line.key,
                "label": line.label or gettext("None"),
                **_figures(line),
            }
            for line in lines
        ]
    for line in report.sessions:
        rate = line.no_show_rate
        rows.append(
            {
                "section": "session",
                "key": str(line.session.id),
                "label": localized(line.session.title, line.session.title_translations),
                "signed_up": line.signed_up,
                "attended": line.attended,
                "online": line.online,
                "no_show_rate": "" if rate is None else f"{rate:.3f}",
            }
        )
    rows += [
        {
            "section": "track",
            "key": line.track.slug,
            "label": localized(line.track.name, line.track.name_translations),
            "people_trained": line.people_trained,
            "training_hours": _hours(line.minutes),
        }
        for line in report.tracks
    ]
    return [{column: row.get(column, "") for column in REPORT_COLUMNS} for row in rows]


def people_dicts(rows: list[PersonRow]) -> list[dict]:
    return [
        {
            "registration_id": row.registration_id,
            "name": row.name,
            "organisation": row.organisation,
            "category": row.category,
            "country": row.country,
            "days_present": row.days_present,
            "sessions_attended": row.sessions_attended,
            "attended_hours": _hours(row.attended_minutes),
            "training_hours": _hours(row.training_minutes),
            "is_online": "yes" if row.is_online else "no",
            "online_hours": _hours(row.online_minutes),
        }
        for row in rows
    ]


def sheet(title: str, columns: tuple[str, ...], rows: list[dict]) -> Sheet:
    """Flat rows (from `report_rows` or `people_dicts`) as one sheet for common.exports."""
    return Sheet(title=title, header=columns, rows=[[row[c] for c in columns] for row in rows])


def report_sheets(rows: list[dict]) -> list[Sheet]:
    """The report's rows (`report_rows`) for XLSX: one sheet per section (total, ..., track)."""
    return [
        sheet(section, REPORT_COLUMNS, [row for row in rows if row["section"] == section])
        for section in ("total", "day", "category", "country", "organisation", "session", "track")
    ]


def figure_headings() -> list[str]:
    """Column headings of the registered, present and online figures (page and PDF)."""
    return [
        gettext("Registered on site"),
        gettext("Registered online"),
        gettext("Checked in"),
        gettext("Took part online"),
        gettext("Online hours"),
    ]


def _pdf_figures(line) -> list[str]:
    return [
        str(line.registered_on_site),
        str(line.registered_online),
        str(line.checked_in),
        str(line.online),
        _hours(line.online_minutes),
    ]


def report_pdf(report: AttendanceReport) -> bytes:
    """A printable A4 report: one table per section; labels in any script (common.pdf)."""
    congress_name = localized(report.congress.name, report.congress.name_translations)
    story = [
        text_table([[gettext("Attendance report"), congress_name]], header=False),
        Spacer(1, 6),
    ]
    headings = figure_headings()
    story.append(
        text_table([[gettext("All participants"), *headings], ["", *_pdf_figures(report)]])
    )
    for title, lines in (
        (gettext("Per day"), report.days),
        (gettext("Per category"), report.categories),
        (gettext("Per country"), report.countries),
        (gettext("Per organisation"), report.organisations),
    ):
        data = [[title, *headings]]
        data += [[line.label or gettext("None"), *_pdf_figures(line)] for line in lines]
        story += [Spacer(1, 8), text_table(data)]
    data = [
        [
            pgettext("programme slot", "Session"),
            gettext("Signed up"),
            gettext("Attended"),
            gettext("Took part online"),
            gettext("No-show rate"),
        ]
    ]
    for line in report.sessions:
        rate = line.no_show_rate
        data.append(
            [
                localized(line.session.title, line.session.title_translations)[:60],
                str(line.signed_up),
                str(line.attended),
                str(line.online),
                "" if rate is None else f"{rate:.0%}",
            ]
        )
    story += [Spacer(1, 8), text_table(data)]
    data = [[gettext("Track"), gettext("People trained"), gettext("Training hours")]]
    data += [
        [
            localized(line.track.name, line.track.name_translations),
            str(line.people_trained),
            _hours(line.minutes),
        ]
        for line in report.tracks
    ]
    story += [Spacer(1, 8), text_table(data)]
    return table_document(title=gettext("Attendance report"), story=story)
