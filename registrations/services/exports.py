"""CSV and XLSX exports of registrations with the columns the organiser chooses."""

import io

import defusedcsv.csv as safe_csv
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from congress.audit import FREE_TEXT_FILTER_KEYS
from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration

EXPORT_COLUMNS = {
    "id": (_("ID"), lambda item: item.pk),
    "name": (_("Name"), lambda item: item.person.name),
    "latin_name": (_("Name (Latin script)"), lambda item: item.person.latin_name),
    "email": (_("Email"), lambda item: item.person.email),
    "organisation": (
        _("Organisation"),
        lambda item: item.person.organisation.name if item.person.organisation else "",
    ),
    "country": (_("Country"), lambda item: item.person.country.code or ""),
    "category": (_("Category"), lambda item: item.category.name),
    "status": (_("Status"), lambda item: item.status),
    "amount_due": (_("Amount due"), lambda item: item.amount_due_minor),
    "amount_paid": (_("Amount paid"), lambda item: item.amount_paid_minor),
    "currency": (_("Currency"), lambda item: item.currency),
    "payment_method": (_("Payment method"), lambda item: item.payment_method),
    "payment_reference": (_("Payment reference"), lambda item: item.payment_reference),
    "fee_reasons": (_("Fee reasons"), lambda item: " ".join(item.fee_reasons)),
    "registered_at": (_("Registered at"), lambda item: item.created_at.isoformat()),
    "answers": (
        _("Answers"),
        lambda item: "; ".join(f"{key}={value}" for key, value in sorted(item.answers.items())),
    ),
}
DEFAULT_COLUMNS = ["id", "name", "email", "organisation", "country", "category", "status"]


def export_registrations(
    *,
    congress: Congress,
    registrations: QuerySet[Registration],
    columns: list[str],
    file_format: str,
    actor: AbstractBaseUser,
    filters: dict,
) -> bytes:
    """Rows of the (already scoped and filtered) registrations as CSV or XLSX.

    CSV goes through defusedcsv (no formula injection). Writes an audit row saying who
    exported, with which filter, which columns and how many rows (no personal data).
    """
    columns = [column for column in columns if column in EXPORT_COLUMNS] or DEFAULT_COLUMNS
    header = [str(EXPORT_COLUMNS[column][0]) for column in columns]
    rows = (
        [EXPORT_COLUMNS[column][1](item) for column in columns]
        for item in registrations.iterator(chunk_size=500)
    )
    count = 0
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("registrations")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
            count += 1
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        text = io.StringIO()
        writer = safe_csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
        content = text.getvalue().encode("utf-8-sig")
    record_audit(
        action="registrations.exported",
        congress=congress,
        actor=actor,
        detail={
            "format": file_format,
            "columns": columns,
            # What staff typed in the search box may be a name: record only that it was used.
            "filters": {
                key: "[free text]" if key in FREE_TEXT_FILTER_KEYS else value
                for key, value in filters.items()
            },
            "rows": count,
        },
    )
    return content
