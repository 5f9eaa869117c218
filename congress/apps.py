from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congresses")

    def ready(self) -> None:
        from congress import (
            cfp_demo,  # noqa: F401  (registers the call-for-participation step)
            demo,  # noqa: F401  (registers the core demo step)
        )
        from congress.navigation import Audience, register_congress_link

        register_congress_link(
            audience=Audience.PUBLIC,
            label=_("Call for participation"),
            url_name="congress:cfp_calls",
            order=25,
        )
        self._connect_privacy_hooks()

    def _connect_privacy_hooks(self) -> None:
        from congress import accounts, privacy_demo  # noqa: F401  (privacy demo step)
        from congress.audit import connect_erasure_audit, install_append_only_guards
        from congress.models import CongressRole
        from congress.navigation import Audience, register_congress_link

        register_congress_link(
            audience=Audience.STAFF,
            label=_("Audit log"),
            url_name="privacy:audit-log",
            roles=(CongressRole.Role.DATA_PROTECTION,),
            order=900,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Erasure requests"),
            url_name="privacy:erasure-requests",
            roles=(CongressRole.Role.DATA_PROTECTION,),
            order=910,
        )
        install_append_only_guards()
        connect_erasure_audit()
        accounts.connect_signals()
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Calls for participation and reviews"),
            url_name="congress:cfp_manage",
            roles=(CongressRole.Role.ORGANISER,),
            order=25,
        )
