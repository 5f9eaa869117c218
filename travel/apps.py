from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TravelConfig(AppConfig):
    name = "travel"
    verbose_name = _("Travel support")

    def ready(self) -> None:
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from registrations.self_service import register_self_service_link

        for order, label, url_name in (
            (500, _("Travel grants"), "travel:applications"),
            (510, _("Donor budgets"), "travel:budgets"),
            (520, _("Accommodation"), "travel:accommodation"),
            (530, _("Airport transfers"), "travel:transfers"),
            (540, _("Donor report"), "travel:donor_report"),
        ):
            register_congress_link(
                audience=Audience.STAFF,
                label=label,
                url_name=url_name,
                roles=(Role.ORGANISER,),
                order=order,
            )
        register_self_service_link(label=_("Travel support"), url_name="travel:participant")
