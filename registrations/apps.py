from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Erasure receiver (person_erased) and the self-service erasure-request link.
        from registrations import retention  # noqa: F401
