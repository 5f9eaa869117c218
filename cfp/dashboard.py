"""Dashboard panel (congress.dashboard registry): calls for participation, whether they are
open, and review progress (one query)."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfp.models import CallForParticipation, Submission
from common.i18n import localized
from congress.dashboard import register_dashboard_panel
from congress.models import Congress
from congress.permissions import Role


def calls_panel(congress: Congress, today: datetime.date) -> dict:
    now = timezone.now()
    calls = (
        CallForParticipation.objects.filter(congress=congress)
        .annotate(
            submitted=Count(
                "submissions",
                filter=~Q(submissions__status=Submission.Status.WITHDRAWN),
                distinct=True,
            ),
            assigned=Count("submissions__assignments", distinct=True),
            reviewed=Count("submissions__reviews", distinct=True),
        )
        .order_by("opens_at", "pk")
    )
    rows = []
    for call in calls:
        rows.append(
            {
                "title": localized(call.title, call.title_translations),
                "is_open": call.opens_at <= now < call.closes_at,
                "closes_at": call.closes_at,
                "submitted": call.submitted,
                "assigned": call.assigned,
                "reviewed": call.reviewed,
                "percent": round(100 * call.reviewed / call.assigned) if call.assigned else 0,
            }
        )
    return {"calls": rows, "open": sum(row["is_open"] for row in rows)}


def register() -> None:
    register_dashboard_panel(
        key="calls",
        title=_("Calls for participation and reviews"),
        template="cfp/dashboard/calls.html",
        data=calls_panel,
        url_name="cfp:manage",
        roles=(Role.ORGANISER,),
        order=50,
    )
