from django.contrib import admin
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeTemplate, Checkpoint, Credential, Scan
from badges.services import issue_credential, spooled_congress_badges
from congress.admin import CongressScopedAdmin
from congress.audit import admin_action_resource, record_personal_data_access


@admin.register(BadgeTemplate)
class BadgeTemplateAdmin(CongressScopedAdmin):
    list_display = ["name", "congress", "category", "size"]
    list_filter = ["congress", "size"]
    actions = ["preview_badges"]

    @admin.action(description=_("Preview with real data (first badges, PDF)"))
    def preview_badges(self, request, queryset):
        template = queryset.select_related("congress").first()
        from badges.queries import active_credentials

        credentials = active_credentials(congress=template.congress)
        if template.category_id:
            credentials = credentials.filter(registration__category_id=template.category_id)
        ids = list(credentials.values_list("registration_id", flat=True)[:8])
        pdf, count = spooled_congress_badges(
            congress=template.congress, registration_ids=ids, size=template.size
        )
        record_personal_data_access(
            request=request,
            congress=template.congress,
            kind="badge_pdf",
            resource=admin_action_resource(BadgeTemplate, "preview_badges"),
            count=count,
            output_format="pdf",
        )
        return FileResponse(pdf, content_type="application/pdf", filename="badge-preview.pdf")


@admin.register(Credential)
class CredentialAdmin(CongressScopedAdmin):
    """Credentials without their tokens: a token is never listed, only printed on a badge."""

    congress_path = "registration__congress"
    list_display = ["__str__", "registration", "issued_at", "revoked_at", "revoked_reason"]
    list_filter = ["registration__congress", "registration__category", "revoked_at"]
    search_fields = ["registration__person__name", "registration__person__latin_name"]
    list_select_related = ["registration__person", "registration__congress"]
    lists_individuals = True
    exclude = ["token"]
    readonly_fields = ["registration", "issued_at", "revoked_at", "revoked_reason"]
    actions = ["download_badges", "reissue_badges"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Download badges of the selected credentials (PDF, by surname)"))
    def download_badges(self, request, queryset):
        first = queryset.select_related("registration__congress").first()
        congress = first.registration.congress
        ids = queryset.filter(registration__congress=congress).values_list(
            "registration_id", flat=True
        )
        pdf, count = spooled_congress_badges(congress=congress, registration_ids=list(ids))
        record_personal_data_access(
            request=request,
            congress=congress,
            kind="badge_pdf",
            resource=admin_action_resource(Credential, "download_badges"),
            count=count,
            output_format="pdf",
        )
        return FileResponse(pdf, content_type="application/pdf", filename="badges.pdf")

    @admin.action(description=_("Re-issue (revokes the old badge)"))
    def reissue_badges(self, request, queryset):
        for credential in queryset.filter(revoked_at__isnull=True).select_related("registration"):
            issue_credential(registration=credential.registration, actor=request.user)


@admin.register(Checkpoint)
class CheckpointAdmin(CongressScopedAdmin):
    list_display = [
        "name",
        "congress",
        "kind",
        "session",
        "room",
        "is_open_to_all",
        "offline_list_shows_names",
        "is_active",
    ]
    list_filter = ["congress", "kind", "is_active"]
    list_editable = ["is_open_to_all", "offline_list_shows_names"]
    list_select_related = ["congress", "session", "room"]


@admin.register(Scan)
class ScanAdmin(CongressScopedAdmin):
    """The append-only scan log: read only."""

    list_display = [
        "scanned_at",
        "received_at",
        "checkpoint",
        "direction",
        "result",
        "reason",
        "device_id",
        "staff",
    ]
    list_filter = ["congress", "checkpoint", "result", "direction"]
    list_select_related = ["checkpoint", "staff"]
    exclude = ["credential", "checkin"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
