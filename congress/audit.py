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
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

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

# The one naming style of `resource`: the URL name of the page or API endpoint that served
# the data, as Django resolved it ("registrations:manage_list", "registration-list"), read
# from the request so a view cannot get it wrong; for the two doors without a URL of their
# own, "command:<name>" (a management command) and "admin:<app>_<model>_<action>" (an admin
# action, named like the admin's own URL names).
COMMAND_PREFIX = "command:"
_EXPLICIT_RESOURCE = re.compile(r"^(command:[a-z0-9_]+|admin:[a-z0-9]+_[a-z0-9]+_[a-z0-9_]+)$")


def command_resource(name: str) -> str:
    """The `resource` of a management command: "command:render_badges"."""
    return f"{COMMAND_PREFIX}{name}"


def admin_action_resource(model: type[models.Model], action: str) -> str:
    """The `resource` of an admin action: "admin:badges_credential_download_badges"."""
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"


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


def _resource_of(request: "HttpRequest | None", resource: str) -> str:
    if resource:
        if not _EXPLICIT_RESOURCE.match(resource):
            raise ValueError(
                f"Resource {resource!r}: a view's resource is its URL name (pass the request); "
                'name one only for a command ("command:<name>") or an admin action '
                '("admin:<app>_<model>_<action>").'
            )
        return resource
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        raise ValueError("Pass the request (its URL name is the resource), or a resource.")
    return match.view_name


def record_personal_data_access(
    *,
    congress: "Congress | None",
    kind: str,
    request: "HttpRequest | None" = None,
    actor: "AbstractBaseUser | AnonymousUser | None" = None,
    resource: str = "",
    filters: Mapping | None = None,
    count: int | None = None,
    output_format: str = "",
    columns: Sequence[str] = (),
    target: models.Model | None = None,
) -> "AuditEvent":
    """Record that someone viewed or exported individuals' data; returns the audit row.

    A view passes its `request`: the actor is the request's user and the resource is the URL
    name that served it (`request.resolver_match.view_name`). A management command passes
    `actor` (or None) and `resource=command_resource(name)`; an admin action passes its
    `request` and `resource=admin_action_resource(model, action)`. `kind` is one of
    ACCESS_KINDS; `filters` the client's filter parameters (free-text values are masked);
    `count` how many individuals were shown or exported; `columns` the exported columns.
    Call it once per request or export, after permission checks. Raises ValueError for an
    unknown kind or a resource in another style. Writes one row; never names or e-mails.
    """
    from congress.services import record_audit

    if kind not in ACCESS_KINDS:
        raise ValueError(f"Unknown personal-data access kind: {kind}")
    resource = _resource_of(request, resource)
    if request is not None:
        if actor is not None:
            raise ValueError("Pass the request or the actor, not both: the actor is its user.")
        actor = request.user
    detail: dict = {"resource": resource[:80], "filters": _safe_filters(filters)}
    if count is not None:
        detail["count"] = int(count)
    if output_format:
        detail["format"] = output_format[:10]
    if columns:
        detail["columns"] = [str(column)[:40] for column in columns][:40]
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
