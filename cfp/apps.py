from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CfpConfig(AppConfig):
    name = "cfp"
    verbose_name = _("Calls for participation")

    def ready(self) -> None:
        from cfp import (
            cloning,
            dashboard,
            receivers,  # noqa: F401  (connects the receivers)
        )

        cloning.register()
        dashboard.register()
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role

        register_congress_link(
            audience=Audience.PUBLIC,
            label=_("Call for participation"),
            url_name="cfp:calls",
            order=25,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Calls for participation and reviews"),
            url_name="cfp:manage",
            roles=(Role.ORGANISER,),
            order=25,
        )
