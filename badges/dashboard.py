"""Dashboard panel (congress.dashboard registry): check-ins today, in the congress's time
zone (one query)."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from badges.models import CheckIn, Checkpoint
from congress.dashboard import register_dashboard_panel
from congress.models import Congress
from congress.permissions import Role


def checkins_panel(congress: Congress, today: datetime.date) -> dict:
    figures = CheckIn.objects.filter(checkpoint__congress=congress, day=today).aggregate(
        people=Count(
            "credential", distinct=True, filter=Q(checkpoint__kind=Checkpoint.Kind.ENTRANCE)
        ),
        session_entries=Count("pk", filter=Q(checkpoint__kind=Checkpoint.Kind.SESSION)),
    )
    return {**figures, "today": today}


def register() -> None:
    register_dashboard_panel(
        key="checkins",
        title=_("Check-ins today"),
        template="badges/dashboard/checkins.html",
        data=checkins_panel,
        url_name="badges:scan_log",
        roles=(Role.ORGANISER,),
        order=40,
    )
