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


class BadgeRevoked(ConflictError):
    """The registration's badge was revoked and no organiser has lifted the revocation."""

    code = "badge_revoked"
    default_message = _(
        "This badge was revoked. An organiser must lift the revocation before a new badge "
        "can be issued or the person checked in."
    )


class OnlineParticipant(ConflictError):
    """The registration is in an online category: no printed badge, no on-site check-in."""

    code = "online_participant"
    default_message = _(
        "Registered for online participation: no badge is printed and no on-site check-in "
        "is possible. An organiser must first move them to an on-site category."
    )


class NotRevoked(ConflictError):
    code = "not_revoked"
    default_message = _("This registration's badge is not revoked.")


class ReasonRequired(DomainError):
    code = "reason_required"
    status_code = 400
    default_message = _("Give a reason: it is kept in the audit log.")


class HeadsetAlreadyOut(ConflictError):
    code = "headset_already_out"
    default_message = _("This headset is already lent, or this person already has one.")


class NoOpenLoan(ConflictError):
    code = "no_open_loan"
    default_message = _("This headset is not lent out.")


class BadgeNotValid(ConflictError):
    code = "badge_not_valid"
    default_message = _("This badge is not valid for this congress.")


class CheckpointExists(ConflictError):
    code = "checkpoint_exists"
    default_message = _("This door has a checkpoint already.")
