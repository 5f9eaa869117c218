from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from registrations import cloning, config_cache, dashboard

        cloning.register()
        dashboard.register()
        config_cache.connect()
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
            # Settings pages (bo-settings: menu orders 100-199).
            (120, _("Registration categories"), "registration_settings:categories"),
            (121, _("Country groups"), "registration_settings:country_groups"),
            (122, _("Vouchers"), "registration_settings:vouchers"),
            (123, _("Registration questions"), "registration_settings:questions"),
            (124, _("Bank details and letters"), "registration_settings:letters"),
            (13, _("Invitation links"), "registrations:manage_invitations"),
        ):
            register_congress_link(
                audience=Audience.STAFF,
                label=label,
                url_name=url_name,
                roles=(Role.ORGANISER,),
                order=order,
            )
        # Invoices (issue 13): the organisers' list and the participant's invoices page.
        from registrations.self_service import register_self_service_link

        register_congress_link(
            audience=Audience.STAFF,
            label=_("Invoices"),
            url_name="registrations:manage_invoices",
            roles=(Role.ORGANISER,),
            order=13,
        )
        register_self_service_link(
            label=_("Invoices and billing details"),
            url_name="registrations:self_service_invoices",
            order=20,
        )
