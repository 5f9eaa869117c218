from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BadgesConfig(AppConfig):
    name = "badges"
    verbose_name = _("Badges and check-in")

    def ready(self) -> None:
        from badges import cloning, dashboard

        cloning.register()
        dashboard.register()
        from badges import receivers  # noqa: F401  (connects the receivers)
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from registrations.self_service import register_self_service_link

        register_self_service_link(label=_("Download my badge"), url_name="badges:self_badge")
        register_self_service_link(
            label=_("My badge on this phone (QR code, works offline)"),
            url_name="badges:self_badge_qr",
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Print badges"),
            url_name="badges:print",
            roles=(Role.ORGANISER,),
            order=40,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Badge design"),
            url_name="badges:templates",
            roles=(Role.ORGANISER,),
            order=210,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Check-in scanner"),
            url_name="badges:checkin_for_congress",
            roles=(Role.ORGANISER, Role.CHECKIN_STAFF),
            order=41,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Scan log and people inside"),
            url_name="badges:scan_log",
            roles=(Role.ORGANISER,),
            order=42,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Interpretation headsets"),
            url_name="badges:headsets",
            roles=(Role.ORGANISER, Role.CHECKIN_STAFF),
            order=44,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Doors and checkpoints"),
            url_name="badges:checkpoints",
            roles=(Role.ORGANISER,),
            order=45,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Revoked badges"),
            url_name="badges:revocations",
            roles=(Role.ORGANISER,),
            order=43,
        )
