"""Domain errors of registration and payment; each has a stable machine code."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from common.crypto import EncryptionNotConfigured  # noqa: F401  (raised by registrations)
from common.exceptions import ConflictError, DomainError
from common.i18n import localized


class AlreadyRegistered(ConflictError):
    code = "already_registered"
    default_message = _(
        "This e-mail address is already registered for this congress. Use the private link "
        "in your confirmation e-mail, or ask for it again with “Send me my private link”."
    )


class RegistrationClosed(DomainError):
    code = "registration_closed"
    default_message = _("Registration for this category is not open.")


@dataclass(frozen=True)
class AnswerError:
    """One problem with one answer: a stable machine code and a translated message."""

    code: str
    message: str


class InvalidAnswers(DomainError):
    """Answers to the registration questions that the questions do not accept.

    `errors` maps each question code in error (or the unknown code sent) to its problems.
    """

    code = "invalid_answers"
    default_message = _("Some answers to the registration questions are not valid.")

    def __init__(self, *, errors: dict[str, list[AnswerError]], message: str | None = None):
        self.errors = errors
        # The summary names every question in error, for clients that show only `detail`.
        summary = " ".join(item.message for items in errors.values() for item in items)
        super().__init__(message if message is not None else summary or None)

    def body(self) -> dict:
        return {
            **super().body(),
            "answers": {
                code: [{"code": item.code, "detail": item.message} for item in items]
                for code, items in self.errors.items()
            },
        }


class InvalidVoucher(DomainError):
    code = "invalid_voucher"
    default_message = _("This voucher code is not valid.")


class VoucherExhausted(ConflictError):
    code = "voucher_exhausted"
    default_message = _("This voucher code has already been used as many times as allowed.")


class InvalidTransition(ConflictError):
    code = "invalid_transition"
    default_message = _("This registration cannot change to that state now.")


class InvalidCategory(DomainError):
    code = "invalid_category"
    default_message = _("Choose a registration category of this congress.")


class SameCategory(DomainError):
    code = "same_category"
    default_message = _("The registration is already in this category: nothing was changed.")


class CategoryFull(ConflictError):
    code = "category_full"
    default_message = _("This category has no free seat: the registration was not moved.")

    def __init__(self, *, category) -> None:
        # Translators: %(category)s is a registration category's name, e.g. "Press".
        message = _(
            "“%(category)s” has no free seat (or people are already waiting for one): "
            "the registration was not moved."
        ) % {"category": localized(category.name, category.name_translations)}
        super().__init__(message, category=category.pk)


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


class InvoiceUnavailable(DomainError):
    code = "invoice_unavailable"
    default_message = _("There is nothing to invoice for this registration.")


class CategoryNotAvailable(DomainError):
    """A hidden or invitation-only category without its access code or a valid invitation."""

    code = "category_not_available"
    default_message = _(
        "This category is open only with an access code or a personal invitation from the "
        "organisers."
    )


class InvalidInvitation(DomainError):
    code = "invalid_invitation"
    default_message = _(
        "This invitation link is not valid: it is unknown, expired or already used. Ask the "
        "organisers for a new one."
    )


class InvalidMembershipLink(DomainError):
    code = "invalid_membership_link"
    default_message = _("This confirmation link is not valid or has already been used.")
