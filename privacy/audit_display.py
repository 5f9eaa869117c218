"""How the audit log page shows what was recorded, in the reader's language.

A personal-data access row names its `resource` in one style (congress.audit): the URL name
of the page or API endpoint that served the data, "command:<name>" for a management command,
"admin:<app>_<model>_<action>" for an admin action or list. Pages and endpoints get a label
here; admin lists and actions are named from the admin itself, commands by their name. A
resource with no label (rows written before these names) is shown as recorded.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from congress.audit import COMMAND_PREFIX

RESOURCE_LABELS = {
    "registrations:manage_list": _("Registrations page"),
    "registration-list": _("Registrations (API)"),
    "registrations:manage_export": _("Registrations export"),
    "registrations:manage_detail": _("One registration"),
    "registrations:manage_visa": _("Visa-letter requests"),
    "registrations:manage_visa_letter": _("A visa letter"),
    "registration-badge": _("One badge (API)"),
    "badges:print": _("Badge printing"),
    "badges:scan_log": _("Scan log"),
    "scan-log": _("Scan log (API)"),
    "checkin-search": _("Search for a participant at the door"),
    "attendance:attendance": _("Attendance: people"),
    "attendance:people_csv": _("Attendance: people export"),
    "attendance-report": _("Attendance: people (API)"),
    "cfp:dashboard": _("Review dashboard of a call"),
    "cfp:submission_manage": _("One proposal"),
    "congress-submissions": _("Proposals (API)"),
    "privacy:erasure-requests": _("Erasure requests"),
}
ADMIN_PREFIX = "admin:"


@dataclass(frozen=True)
class AuditRow:
    event: object  # congress.models.AuditEvent
    resource: str  # the label, "" when the row records no resource
    details: str  # readable details of a personal-data access, "" for other rows


def _admin_resource_label(name: str) -> str:
    """ "badges_credential_download_badges" -> "Administration: <the action's description>",
    "registrations_registration_changelist" -> "Administration: list of registrations"."""
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if not name.startswith(prefix):
            continue
        what = name.removeprefix(prefix)
        if what == "changelist":
            return gettext("Administration: list of %(things)s") % {
                "things": model._meta.verbose_name_plural
            }
        action = getattr(model_admin, what, None)
        if action is not None and hasattr(action, "short_description"):
            return gettext("Administration: %(action)s") % {"action": action.short_description}
    return ""


def resource_label(resource: str) -> str:
    """The readable name of a recorded resource; the resource itself when it has none."""
    if resource in RESOURCE_LABELS:
        return str(RESOURCE_LABELS[resource])
    if resource.startswith(COMMAND_PREFIX):
        return gettext("Command: %(name)s") % {"name": resource.removeprefix(COMMAND_PREFIX)}
    if resource.startswith(ADMIN_PREFIX):
        return _admin_resource_label(resource.removeprefix(ADMIN_PREFIX)) or resource
    return resource


def _access_details(detail: dict) -> str:
    parts = []
    if "count" in detail:
        count = detail["count"]
        parts.append(ngettext("%(count)s record", "%(count)s records", count) % {"count": count})
    if detail.get("format"):
        parts.append(str(detail["format"]).upper())
    filters = detail.get("filters") or {}
    if filters:
        shown = ", ".join(
            f"{key}={','.join(value) if isinstance(value, list) else value}"
            for key, value in sorted(filters.items())
        )
        parts.append(gettext("filters: %(filters)s") % {"filters": shown})
    if detail.get("columns"):
        parts.append(gettext("columns: %(columns)s") % {"columns": ", ".join(detail["columns"])})
    return " · ".join(parts)


def audit_rows(events) -> list[AuditRow]:
    """The page's events with their resource and details in words (no query)."""
    rows = []
    for event in events:
        detail = event.detail if isinstance(event.detail, dict) else {}
        resource = detail.get("resource", "")
        is_access = event.action.startswith("personal_data.") and bool(resource)
        rows.append(
            AuditRow(
                event=event,
                resource=resource_label(resource) if resource else "",
                details=_access_details(detail) if is_access else "",
            )
        )
    return rows
