"""Domain errors of mailings; each has a stable machine code."""

from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError


class InvalidMailing(DomainError):
    code = "invalid_mailing"
    default_message = _("The mailing is not complete.")


class UnknownPlaceholder(DomainError):
    code = "unknown_placeholder"
    default_message = _("The text uses a placeholder that does not exist.")


class EmptyAudience(DomainError):
    code = "empty_audience"
    default_message = _("Nobody matches this audience.")
