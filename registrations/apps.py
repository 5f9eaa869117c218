from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from registrations import cloning, dashboard

        cloning.register()
        dashboard.register()
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role

        register_congress_link(
            audience=Audience.PUBLIC,
            label=_("Register"),
            url_name="registrations:register",
            order=10,
        )
        register_congress_link(
            audience=Audience.PUBLIC,
            label=_("Register a group"),
            url_name="registrations:register_group",
            order=11,
        )
        for order, label, url_name in (
            (10, _("Registrations"), "registrations:manage_list"),
            (11, _("Bank transfers"), "registrations:manage_bank"),
            (12, _("Visa letters"), "registrations:manage_visa"),
        ):
            register_congress_link(
                audience=Audience.STAFF,
                label=label,
                url_name=url_name,
                roles=(Role.ORGANISER,),
                order=order,
            )
