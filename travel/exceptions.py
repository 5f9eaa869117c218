from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError


class ApplicationsClosed(ConflictError):
    code = "grant_applications_closed"
    default_message = _("Travel grant applications are closed for this congress.")


class AlreadyApplied(ConflictError):
    code = "grant_already_applied"
    default_message = _("You have already applied for a travel grant for this congress.")


class NotEligible(ConflictError):
    code = "grant_not_eligible"
    default_message = _("Only active registrations can apply for a travel grant.")


class BudgetExceeded(ConflictError):
    code = "budget_exceeded"
    default_message = _("This budget line does not have enough money left for this award.")


class RestrictionNotMet(DomainError):
    code = "budget_restriction"
    default_message = _("This budget line cannot pay for this person or cost type.")


class DecisionNotAllowed(ConflictError):
    code = "grant_decision_not_allowed"
    default_message = _("This application can no longer be decided.")


class ClaimNotAllowed(DomainError):
    code = "claim_not_allowed"
    default_message = _("This claim is not allowed.")


class InvalidReceipt(DomainError):
    code = "invalid_receipt"
    default_message = _("The receipt must be a PDF, JPEG or PNG file.")


class NoRoomAvailable(ConflictError):
    code = "no_room_available"
    default_message = _("No room of this type is free for all these nights.")
