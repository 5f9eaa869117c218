from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError


class RegistrationNotConfirmed(ConflictError):
    code = "registration_not_confirmed"
    default_message = _("Only a confirmed registration gets a badge.")


class NoActiveCredential(ConflictError):
    code = "no_active_credential"
    default_message = _("This registration has no badge yet.")


class ScanRateLimited(DomainError):
    code = "rate_limited"
    status_code = 429
    default_message = _("Too many scans from this device. Wait a moment and scan again.")


class UnknownCheckpoint(DomainError):
    code = "unknown_checkpoint"
    status_code = 400
    default_message = _("This checkpoint does not belong to this congress.")
