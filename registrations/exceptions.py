"""Domain errors of registration and payment; each has a stable machine code."""

from django.utils.translation import gettext_lazy as _

from common.crypto import EncryptionNotConfigured  # noqa: F401  (raised by registrations)
from common.exceptions import ConflictError, DomainError


class AlreadyRegistered(ConflictError):
    code = "already_registered"
    default_message = _(
        "This email address is already registered for this congress. Use the private link "
        "in your confirmation email to see or change your registration."
    )


class RegistrationClosed(DomainError):
    code = "registration_closed"
    default_message = _("Registration for this category is not open.")


class InvalidVoucher(DomainError):
    code = "invalid_voucher"
    default_message = _("This voucher code is not valid.")


class VoucherExhausted(ConflictError):
    code = "voucher_exhausted"
    default_message = _("This voucher code has already been used as many times as allowed.")


class InvalidTransition(ConflictError):
    code = "invalid_transition"
    default_message = _("This registration cannot change to that state now.")


class PaymentUnavailable(DomainError):
    code = "payment_unavailable"
    default_message = _("Card payment is not available for this congress.")


class PaymentProviderError(DomainError):
    code = "payment_provider_error"
    status_code = 502
    default_message = _("The payment provider could not be reached. Please try again.")


class OfferExpired(ConflictError):
    code = "offer_expired"
    default_message = _("This waitlist offer has expired.")


class InvalidStatement(DomainError):
    code = "invalid_statement"
    default_message = _(
        "The bank statement could not be read: expected a CSV file with the columns "
        "date, amount, currency and reference."
    )
