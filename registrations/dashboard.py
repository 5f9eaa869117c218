"""Panels of the organiser dashboard (congress.dashboard registry): registrations by status
and category, money due and received, visa letters waiting. Each panel's data is a fixed
number of queries (aggregates), whatever the congress's size."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from common.i18n import localized
from congress.dashboard import register_dashboard_panel
from congress.models import Congress
from congress.navigation import Audience, register_congress_link
from congress.permissions import Role
from registrations.models import Registration, RegistrationCategory, VisaLetterRequest

# Registrations that owe or hold money (cancelled and rejected ones are refunded or void).
LIVE = (
    Registration.Status.PENDING_PAYMENT,
    Registration.Status.PENDING_APPROVAL,
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
)


def registrations_panel(congress: Congress, today: datetime.date) -> dict:
    """Counts per category and status (two queries); when the congress has online
    categories, the totals on site and online apart as well."""
    categories = list(
        RegistrationCategory.objects.filter(congress=congress).order_by("position", "name")
    )
    counts = {
        (row["category_id"], row["status"]): row["total"]
        for row in Registration.objects.filter(congress=congress)
        .values("category_id", "status")
        .annotate(total=Count("pk"))
        .order_by()
    }
    statuses = list(Registration.Status.choices)
    rows = [
        {
            "name": localized(category.name, category.name_translations),
            "is_online": category.is_online,
            "counts": [counts.get((category.pk, status), 0) for status, _label in statuses],
            "total": sum(counts.get((category.pk, status), 0) for status, _label in statuses),
        }
        for category in categories
    ]
    totals = [
        sum(counts.get((category.pk, status), 0) for category in categories)
        for status, _label in statuses
    ]
    split = {}
    if any(category.is_online for category in categories):
        for key, online in (("on_site", False), ("online", True)):
            counts_of = [row["counts"] for row in rows if row["is_online"] == online]
            split[key] = [sum(column) for column in zip(*counts_of, strict=True)] or [
                0 for _status in statuses
            ]
            split[f"{key}_total"] = sum(split[key])
    return {
        "statuses": [label for _status, label in statuses],
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
        "split": split,
    }


def money_panel(congress: Congress, today: datetime.date) -> dict:
    """Money due, received and refunded, in minor units of the congress's currency (one
    query)."""
    sums = Registration.objects.filter(congress=congress).aggregate(
        due=Sum("amount_due_minor", filter=Q(status__in=LIVE), default=0),
        received=Sum("amount_paid_minor", default=0),
        refunded=Sum("amount_refunded_minor", default=0),
    )
    outstanding = max(sums["due"] - sums["received"] + sums["refunded"], 0)
    return {**sums, "outstanding": outstanding, "currency": congress.currency}


def visa_panel(congress: Congress, today: datetime.date) -> dict:
    """Visa letter requests waiting for a decision (one query)."""
    return {
        "pending": VisaLetterRequest.objects.filter(
            registration__congress=congress, status=VisaLetterRequest.Status.REQUESTED
        ).count()
    }


def register() -> None:
    register_congress_link(
        audience=Audience.STAFF,
        label=_("Open registration"),
        url_name="registrations:opening",
        roles=(Role.ORGANISER,),
        order=8,
    )
    register_dashboard_panel(
        key="registrations",
        title=_("Registrations"),
        template="registrations/dashboard/registrations.html",
        data=registrations_panel,
        url_name="registrations:manage_list",
        roles=(Role.ORGANISER,),
        order=10,
    )
    register_dashboard_panel(
        key="money",
        title=_("Money"),
        template="registrations/dashboard/money.html",
        data=money_panel,
        url_name="registrations:manage_bank",
        roles=(Role.ORGANISER,),
        order=20,
    )
    register_dashboard_panel(
        key="visa",
        title=_("Visa letters"),
        template="registrations/dashboard/visa.html",
        data=visa_panel,
        url_name="registrations:manage_visa",
        roles=(Role.ORGANISER, Role.VISA_OFFICER),
        order=30,
    )
