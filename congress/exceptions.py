"""Domain errors of congresses, their teams and their creation."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError


class InvitationInvalid(DomainError):
    code = "invitation_invalid"
    default_message = _(
        "This invitation link is not valid any more: it was used, cancelled or has expired. "
        "Ask the organiser for a new one."
    )


class WrongAccount(DomainError):
    code = "invitation_wrong_account"
    status_code = 403
    default_message = _(
        "This invitation was sent to another e-mail address. Log out and sign in with the "
        "account of the invited address."
    )


class LastOrganiser(ConflictError):
    code = "last_organiser"
    default_message = _("A congress keeps at least one organiser: invite another one first.")


class UnknownRole(ConflictError):
    code = "unknown_role"
    default_message = _("Choose roles from the list.")
