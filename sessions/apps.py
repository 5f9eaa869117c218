from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    # The label "sessions" belongs to django.contrib.sessions.
    name = "sessions"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from sessions import cloning

        cloning.register()
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from registrations.self_service import register_self_service_link
        from sessions import (
            programme_cache,
            receivers,  # noqa: F401  (frees seats of cancelled registrations)
        )

        programme_cache.connect()

        register_congress_link(
            audience=Audience.PUBLIC,
            label=_("Programme"),
            url_name="sessions:programme",
            order=20,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Timetable"),
            url_name="sessions:timetable",
            roles=(Role.ORGANISER,),
            order=200,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Rooms"),
            url_name="programme_settings:rooms",
            roles=(Role.ORGANISER,),
            order=110,
        )
        register_self_service_link(
            label=_("My programme and workshop sign-ups"), url_name="sessions:agenda", order=30
        )
