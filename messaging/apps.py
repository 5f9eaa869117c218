from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self) -> None:
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from messaging import webhooks

        for order, label, url_name in (
            (300, _("Mailings"), "messaging:mailings"),
            (310, _("Reminders"), "messaging:reminders"),
        ):
            register_congress_link(
                audience=Audience.STAFF,
                label=label,
                url_name=url_name,
                roles=(Role.ORGANISER,),
                order=order,
            )
        webhooks.connect_signals()
