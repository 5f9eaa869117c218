"""Admin for rooms, sessions and sign-ups, scoped to the organiser's congresses.

Saving a session goes through `save_session` (rules, audit, `session_saved`); the change
page and the message after saving show the session's timetable conflicts.
"""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congress.admin import CongressScopedAdmin, CongressScopedTabularInline
from sessions import services
from sessions.models import Room, Session, SessionSignup, SessionSpeaker


@admin.register(Room)
class RoomAdmin(CongressScopedAdmin):
    list_display = ("name", "congress", "capacity", "position")
    list_filter = ("congress",)
    search_fields = ("name",)
    list_select_related = ("congress",)

    def save_model(self, request, obj, form, change):
        services.save_room(room=obj, actor=request.user)


class SessionSpeakerInline(CongressScopedTabularInline):
    model = SessionSpeaker
    extra = 1


@admin.register(Session)
class SessionAdmin(CongressScopedAdmin):
    list_display = ("title", "congress", "kind", "status", "starts_at", "room", "track")
    list_filter = ("congress", "kind", "status", "track", "requires_signup")
    search_fields = ("title",)
    list_select_related = ("congress", "room", "track")
    date_hierarchy = "starts_at"
    inlines = [SessionSpeakerInline]
    readonly_fields = ("timetable_warnings", "published_at", "changed_after_publication_at")
    actions = ["publish_sessions"]

    @admin.display(description=_("timetable conflicts"))
    def timetable_warnings(self, obj: Session) -> str:
        if obj.pk is None:
            return "—"
        warnings = services.check_session(session=obj)
        if not warnings:
            return _("None")
        return format_html_join("", "<p>{}</p>", ((warning.message,) for warning in warnings))

    def save_model(self, request, obj, form, change):
        services.save_session(session=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in services.check_session(session=form.instance):
            messages.warning(request, warning.message)

    @admin.action(description=_("Publish the selected sessions"))
    def publish_sessions(self, request, queryset):
        count = 0
        for session in queryset.filter(status=Session.Status.DRAFT):
            session.status = Session.Status.PUBLISHED
            services.save_session(session=session, actor=request.user)
            count += 1
        message = ngettext(
            "%(count)s session published.", "%(count)s sessions published.", count
        ) % {"count": count}
        self.message_user(request, message)


@admin.register(SessionSignup)
class SessionSignupAdmin(CongressScopedAdmin):
    congress_path = "session__congress"
    list_display = ("session", "registration", "state", "created_at")
    list_filter = ("state", "session__congress")
    list_select_related = ("session", "registration__person", "registration__congress")
    lists_individuals = True
    search_fields = ("session__title", "registration__person__name")
    readonly_fields = (
        "session",
        "registration",
        "state",
        "created_at",
        "seated_at",
        "cancelled_at",
    )

    # Seats change only through sign-up and cancellation (capacity, waitlist promotion).
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
