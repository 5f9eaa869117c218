"""Exports of registrations with the columns the organiser chooses (CSV or XLSX)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.exports import Sheet
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
) -> Sheet:
    """The (already scoped and filtered) registrations as one sheet of the chosen columns.

    The rows are read from the database while the file is written (common.exports makes it
    formula-safe CSV or XLSX). First writes an audit row saying who exported, in which
    format, with which filter, which columns and how many rows (no personal data).
    """
    columns = [column for column in columns if column in EXPORT_COLUMNS] or DEFAULT_COLUMNS
    header = [str(EXPORT_COLUMNS[column][0]) for column in columns]
    rows = (
        [EXPORT_COLUMNS[column][1](item) for column in columns]
        for item in registrations.iterator(chunk_size=500)
    )
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
            # Counted before the file streams, so the row is written even if the download stops.
            "rows": registrations.count(),
        },
    )
    return Sheet(title="registrations", header=header, rows=rows)
