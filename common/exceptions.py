"""Domain errors. Every app's errors derive from DomainError.

Each error has a stable machine `code` (used by API clients) and a translated message.
One handler (common.api) maps them to HTTP for the API; views show the message.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status_code = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message: str | None = None, **context: object) -> None:
        self.context = context
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)

    def body(self) -> dict:
        """What the API answers: the code and the message, plus any details a subclass adds."""
        return {"code": self.code, "detail": str(self.message)}


class ConflictError(DomainError):
    """The request clashes with the current state (409)."""

    code = "conflict"
    status_code = 409
    default_message = _("The request clashes with the current state.")


class NotPermitted(DomainError):
    code = "not_permitted"
    status_code = 403
    default_message = _("You do not have permission to do this for this congress.")
