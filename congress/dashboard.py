"""Panels of the organiser dashboard (`congress:manage`), registered by the apps above.

`congress` draws the dashboard but sits below the apps whose figures it shows, so each app
registers its panel from its AppConfig.ready() (as pretix's dashboard widgets are):

    register_dashboard_panel(
        key="registrations",
        title=_("Registrations"),
        template="registrations/dashboard/registrations.html",
        data=registrations_panel,   # (congress, today) -> dict, a fixed number of queries
        url_name="registrations:manage_list",
        roles=(Role.ORGANISER,),
        order=10,
    )

`data` must run a fixed number of queries whatever the congress's size (annotate and
aggregate, never one query per row); tests pin the dashboard's total.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from congress.models import Congress
from congress.permissions import roles_held


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    title: str | Promise
    template: str
    data: Callable[[Congress, datetime.date], dict]
    url_name: str
    roles: tuple[str, ...] = ()
    order: int = 100


_panels: dict[str, DashboardPanel] = {}


def register_dashboard_panel(
    *,
    key: str,
    title: str | Promise,
    template: str,
    data: Callable[[Congress, datetime.date], dict],
    url_name: str,
    roles: tuple[str, ...] = (),
    order: int = 100,
) -> None:
    _panels[key] = DashboardPanel(key, title, template, data, url_name, tuple(roles), order)


def registered_panels() -> list[DashboardPanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(*, congress: Congress, user) -> list[dict]:
    """The panels `user` may see on `congress`'s dashboard, with their data computed for
    today in the congress's time zone."""
    today = timezone.now().astimezone(congress.tzinfo).date()
    held = roles_held(user, congress)
    shown = []
    for panel in registered_panels():
        if panel.roles and not held.intersection(panel.roles):
            continue
        shown.append(
            {
                "key": panel.key,
                "title": panel.title,
                "template": panel.template,
                "url": reverse(panel.url_name, kwargs={"slug": congress.slug}),
                "data": panel.data(congress, today),
            }
        )
    return shown
