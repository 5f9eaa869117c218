from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congresses")

    def ready(self) -> None:
        from congress.models import CongressRole
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role

        register_congress_link(
            audience=Audience.STAFF,
            label=_("Dashboard"),
            url_name="congress:manage",
            roles=tuple(CongressRole.Role.values),
            order=0,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Team and roles"),
            url_name="congress:team",
            roles=(CongressRole.Role.ORGANISER,),
            order=5,
        )
        # The congress's own settings pages (bo-settings: menu orders 100-199).
        for order, label, url_name in (
            (100, _("General settings"), "congress_settings:general"),
            (101, _("Tracks"), "congress_settings:tracks"),
        ):
            register_congress_link(
                audience=Audience.STAFF,
                label=label,
                url_name=url_name,
                roles=(Role.ORGANISER,),
                order=order,
            )
