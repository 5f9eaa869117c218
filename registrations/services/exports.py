"""Exports of registrations with the columns the organiser chooses (CSV or XLSX)."""

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.exports import Sheet
from registrations.models import Registration
from registrations.services.fees import fee_reason_labels

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
    "status": (_("Status"), lambda item: str(item.get_status_display())),
    "amount_due": (_("Amount due"), lambda item: item.amount_due_minor),
    "amount_paid": (_("Amount paid"), lambda item: item.amount_paid_minor),
    "currency": (_("Currency"), lambda item: item.currency),
    "payment_method": (
        _("Payment method"),
        lambda item: str(item.get_payment_method_display()) if item.payment_method else "",
    ),
    "payment_reference": (_("Payment reference"), lambda item: item.payment_reference),
    "fee_reasons": (_("Fee reasons"), lambda item: ", ".join(fee_reason_labels(item.fee_reasons))),
    # In the current zone: the congress's, which the export captures when it starts.
    "registered_at": (
        _("Registered at"),
        lambda item: timezone.localtime(item.created_at).isoformat(timespec="minutes"),
    ),
    "answers": (
        _("Answers"),
        lambda item: "; ".join(f"{key}={value}" for key, value in sorted(item.answers.items())),
    ),
}
DEFAULT_COLUMNS = ["id", "name", "email", "organisation", "country", "category", "status"]


def export_columns(columns: list[str]) -> list[str]:
    """The known columns among `columns`, in that order; the default ones when none is."""
    return [column for column in columns if column in EXPORT_COLUMNS] or DEFAULT_COLUMNS


def export_registrations(*, registrations: QuerySet[Registration], columns: list[str]) -> Sheet:
    """The (already scoped and filtered) registrations as one sheet of the chosen columns.

    The rows are read from the database while the file is written (common.exports makes it
    formula-safe CSV or XLSX). The caller audits the export (`record_personal_data_access`).
    Statuses, payment methods and fee reasons are words in the active language and times are
    in the current time zone (the congress's on its pages), both as when the export started:
    the rows are written after the view has returned.
    """
    columns = export_columns(columns)
    header = [str(EXPORT_COLUMNS[column][0]) for column in columns]
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def rows():
        with translation.override(language), timezone.override(zone):
            for item in registrations.iterator(chunk_size=500):
                yield [EXPORT_COLUMNS[column][1](item) for column in columns]

    return Sheet(title="registrations", header=header, rows=rows())
