"""The audit trail of personal-data access (AuditEvent rows are append-only).

Other apps call `record_personal_data_access(...)` whenever someone views or exports
individuals' data (lists, exports, badge PDFs, visa files): one row says who, when, which
congress, which resource and with what filter, never the data itself.

Append-only: AuditEvent rows are never changed or deleted, whatever door the code comes
through (admin, shell, a service, raw SQL): AuditEvent is an `AppendOnlyModel` with database
triggers (common.append_only, the same mechanism as the badge scan log). Retention never
deletes audit rows: they hold ids and codes only.

This module imports models inside its functions, so importing it loads no model.
"""

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from common.append_only import AppendOnlyQuerySet
    from congress.models import AuditEvent, Congress


def append_only_events() -> "AppendOnlyQuerySet":
    """All audit events; the queryset refuses update() and delete() (common.append_only)."""
    from congress.models import AuditEvent

    return AuditEvent.objects.all()


# Filter keys whose values may be free text typed by staff (a name, an e-mail): the audit
# row records that such a filter was used, not what was typed.
FREE_TEXT_FILTER_KEYS = frozenset({"q", "search", "name", "email", "latin_name", "token"})
ACCESS_KINDS = ("list", "view", "export", "badge_pdf", "visa_file")


def _safe_filters(filters: Mapping | None) -> dict:
    safe = {}
    for key, value in (filters or {}).items():
        if value in ("", None, [], ()):
            continue
        key = str(key)[:40]
        if key in FREE_TEXT_FILTER_KEYS:
            safe[key] = "[free text]"
        elif isinstance(value, list | tuple):
            safe[key] = [str(item)[:40] for item in value][:20]
        else:
            safe[key] = str(value)[:40]
    return safe


def record_personal_data_access(
    *,
    actor: "AbstractBaseUser | AnonymousUser | None",
    congress: "Congress | None",
    kind: str,
    resource: str,
    filters: Mapping | None = None,
    count: int | None = None,
    output_format: str = "",
    target: models.Model | None = None,
) -> "AuditEvent":
    """Record that `actor` viewed or exported individuals' data; returns the audit row.

    `kind` is one of ACCESS_KINDS; `resource` a stable name such as "registrations.list" or
    "badges.pdf"; `filters` the client's filter parameters (free-text values are masked);
    `count` how many individuals were shown or exported. Call it once per request or
    export, after permission checks, inside the request's transaction if there is one.
    Raises ValueError for an unknown kind. Writes one row; never stores names or e-mails.
    """
    from congress.services import record_audit

    if kind not in ACCESS_KINDS:
        raise ValueError(f"Unknown personal-data access kind: {kind}")
    detail: dict = {"resource": resource[:80], "filters": _safe_filters(filters)}
    if count is not None:
        detail["count"] = int(count)
    if output_format:
        detail["format"] = output_format[:10]
    return record_audit(
        action=f"personal_data.{kind}",
        congress=congress,
        actor=actor,
        target=target,
        detail=detail,
    )


def audit_events_for(
    *,
    congress: "Congress",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """Audit events of one congress, newest first, with actors joined (one query)."""
    events = append_only_events().filter(congress=congress).select_related("actor")
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-created_at", "-id")


def audit_actions_for(*, congress: "Congress") -> list[str]:
    return list(
        append_only_events()
        .filter(congress=congress)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
