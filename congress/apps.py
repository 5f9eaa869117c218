from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congresses")

    def ready(self) -> None:
        from congress.audit import install_append_only_guards

        install_append_only_guards()
