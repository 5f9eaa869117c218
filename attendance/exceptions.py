from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError


class CongressNotClosed(ConflictError):
    code = "congress_not_closed"
    default_message = _("Close the congress first: certificates use the final attendance.")


class CertificateNotAvailable(DomainError):
    code = "certificate_not_available"
    status_code = 404
    default_message = _("No certificate of attendance is available for this registration.")


class NotAnOnlineSession(DomainError):
    code = "not_an_online_session"
    status_code = 404
    default_message = _("This session has no online stream for you.")


class CongressNotOver(ConflictError):
    code = "congress_not_over"
    default_message = _(
        "The congress cannot be closed before its last day (%(day)s, in its time zone)."
    )

    def __init__(self, *, day: str) -> None:
        super().__init__(str(self.default_message) % {"day": day}, day=day)
