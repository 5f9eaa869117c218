"""Registration and payment services (see each module); re-exported here."""

from registrations.services.access import create_invitation
from registrations.services.bank import (
    import_bank_statement,
    queue_bank_statement,
    resolve_bank_line,
    run_bank_statement_import,
)
from registrations.services.exports import export_columns, export_registrations
from registrations.services.fees import Fee, compute_fee
from registrations.services.groups import (
    add_delegate,
    group_amount_due_minor,
    register_group,
    replace_delegate,
    update_delegate,
)
from registrations.services.links import resend_private_link, resend_private_links
from registrations.services.membership import (
    answer_group_membership_link,
    answer_membership_link,
    decline_membership,
    verify_membership,
)
from registrations.services.payments import mark_transfer_received, record_payment
from registrations.services.quotes import quote_fee, quote_fees
from registrations.services.registration import (
    RegistrantDetails,
    RegistrationOutcome,
    register_participant,
    stripe_is_configured,
    update_answers,
)
from registrations.services.staff import (
    approve_registration,
    cancel_registration,
    move_registration,
    reject_registration,
)
from registrations.services.stripe_payments import (
    handle_webhook,
    reconcile_payments,
    settle_checkout_session,
    start_checkout,
)
from registrations.services.visa import (
    approve_visa_letter,
    purge_passport_data,
    reject_visa_letter,
    request_visa_letter,
)
from registrations.services.waitlist import accept_waitlist_offer, release_expired

__all__ = [
    "Fee",
    "RegistrantDetails",
    "RegistrationOutcome",
    "accept_waitlist_offer",
    "add_delegate",
    "answer_group_membership_link",
    "answer_membership_link",
    "approve_registration",
    "approve_visa_letter",
    "cancel_registration",
    "compute_fee",
    "create_invitation",
    "decline_membership",
    "export_columns",
    "export_registrations",
    "group_amount_due_minor",
    "handle_webhook",
    "import_bank_statement",
    "mark_transfer_received",
    "move_registration",
    "purge_passport_data",
    "queue_bank_statement",
    "quote_fee",
    "quote_fees",
    "reconcile_payments",
    "record_payment",
    "register_group",
    "register_participant",
    "reject_registration",
    "reject_visa_letter",
    "release_expired",
    "replace_delegate",
    "request_visa_letter",
    "resend_private_link",
    "resend_private_links",
    "resolve_bank_line",
    "run_bank_statement_import",
    "settle_checkout_session",
    "start_checkout",
    "stripe_is_configured",
    "update_answers",
    "update_delegate",
    "verify_membership",
]
