from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy and accounts")

    def ready(self) -> None:
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from privacy import accounts
        from registrations.self_service import register_self_service_link

        register_congress_link(
            audience=Audience.STAFF,
            label=_("Audit log"),
            url_name="privacy:audit-log",
            roles=(Role.DATA_PROTECTION,),
            order=900,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Erasure requests"),
            url_name="privacy:erasure-requests",
            roles=(Role.DATA_PROTECTION,),
            order=910,
        )
        register_self_service_link(
            label=_("Ask for my personal data to be erased"),
            url_name="privacy:erasure-request",
            order=900,
        )
        accounts.connect_signals()
