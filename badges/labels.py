"""Words, not codes: what a scan refusal or a badge revocation means, in the reader's language.

Scans and credentials store stable machine codes (the API gives them to clients as they are);
pages, the scanner and exports show these labels. A code without a label (a free-text
revocation reason typed by staff) is shown as it was typed.
"""

from django.utils.translation import gettext_lazy as _

SCAN_REASON_LABELS = {
    "unknown_token": _("Unknown badge"),
    "checkpoint_closed": _("This door is closed"),
    "registration_not_confirmed": _("Registration not confirmed"),
    "not_signed_up": _("Not signed up for this session"),
    "not_checked_in": _("Not checked in here: cannot check out"),
    "already_checked_out": _("Already checked out"),
    "checked_out": _("Checked out"),
    "re_entry": _("Back in"),
    "revoked": _("Badge revoked"),
    "online_participant": _(
        "Registered for online participation: an organiser must move them to an on-site "
        "category before they can be checked in"
    ),
}
REVOCATION_REASON_LABELS = {
    "reissued": _("A new badge was issued"),
    "replaced": _("Replaced by a new badge"),
    "person_erased": _("Personal data erased"),
    "registration_cancelled": _("Registration cancelled"),
}


def reason_labels() -> dict[str, str]:
    """Every scan and revocation reason code with its label in the active language (for the
    scanner page, whose script shows the reason a server answer gives)."""
    return {
        code: str(label)
        for code, label in {**SCAN_REASON_LABELS, **REVOCATION_REASON_LABELS}.items()
    }


def reason_label(code: str) -> str:
    """The label of a scan or revocation reason code; unknown codes as they are."""
    label = SCAN_REASON_LABELS.get(code) or REVOCATION_REASON_LABELS.get(code)
    return str(label) if label is not None else code
