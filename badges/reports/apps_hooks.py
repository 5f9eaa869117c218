"""Wiring of the attendance feature; BadgesConfig.ready() calls `ready()` below.

(badges/apps.py belongs to the badges side, so the integrator adds the call there:
    from badges.reports import apps_hooks; apps_hooks.ready()
)"""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from badges.reports import demo  # noqa: F401  (registers the demo step, order 50)
    from congress.navigation import Audience, register_congress_link
    from congress.permissions import Role
    from registrations.self_service import register_self_service_link

    register_congress_link(
        audience=Audience.STAFF,
        label=_("Attendance and certificates"),
        url_name="reports:attendance",
        roles=(Role.ORGANISER, Role.CHECKIN_STAFF),
        order=50,
    )
    register_self_service_link(
        label=_("Certificate of attendance"), url_name="reports:my_certificate", order=50
    )
