"""Domain errors of the programme: each has a stable `code` and a translated message."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError


class InvalidSessionTimes(DomainError):
    code = "session_ends_before_start"
    default_message = _("A session cannot end before it starts.")


class SessionFarFromCongressDates(DomainError):
    """A start or end further from the congress's dates than any side event could be (a typo
    such as 9999-12-31): refused before it reaches the database."""

    code = "session_far_from_congress_dates"
    default_message = _(
        "A session must take place within %(days)s days of the congress's dates "
        "(%(first)s to %(last)s)."
    )

    def __init__(self, *, field: str, days: int, first: str, last: str) -> None:
        self.field = field
        super().__init__(self.default_message % {"days": days, "first": first, "last": last})

    def body(self) -> dict:
        return {**super().body(), "field": self.field}


class SessionNotInCongress(DomainError):
    code = "wrong_congress"
    default_message = _("The room, track or registration belongs to another congress.")


class RegistrationNotConfirmed(DomainError):
    code = "registration_not_confirmed"
    status_code = 403
    default_message = _(
        "Only participants with a confirmed registration for this congress can sign up."
    )


class SignupNotOpen(DomainError):
    code = "signup_not_open"
    default_message = _("This session does not take sign-ups.")


class AlreadySignedUp(ConflictError):
    code = "already_signed_up"
    default_message = _("You are already signed up for this session.")


class OverlappingSignup(ConflictError):
    code = "overlapping_signup"
    default_message = _("You are already signed up for another session at the same time.")


class SignupNotActive(ConflictError):
    code = "signup_not_active"
    default_message = _("This sign-up is already cancelled.")


class SessionHasSignups(ConflictError):
    code = "session_has_signups"
    default_message = _("People have signed up for this session: cancel it instead of deleting it.")


class SessionNotWithdrawable(ConflictError):
    code = "session_not_withdrawable"
    default_message = _(
        "This session is published or other records depend on it (sign-ups, a check-in "
        "point): cancel it in the programme instead of removing it."
    )
