from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    # The label "sessions" belongs to django.contrib.sessions.
    name = "sessions"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        # Turns accepted submissions (congress app) into draft sessions.
        from sessions import submissions  # noqa: F401
