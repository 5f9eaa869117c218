"""Admin for the core models, and the base class that scopes every admin to a congress.

Every congress-scoped ModelAdmin derives from CongressScopedAdmin: it shows only rows of
congresses where the user is an organiser, limits foreign-key choices the same way, and
refuses to open, change or delete an object of another congress.
"""

from functools import reduce

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from congress.audit import record_personal_data_access
from congress.models import AuditEvent, Congress, CongressRole, Track, Venue
from congress.permissions import Role, congresses_for


class CongressScopedAdmin(admin.ModelAdmin):
    # Lookup path from the model to its Congress; "" when the model is Congress itself.
    congress_path = "congress"
    scoped_roles: tuple[str, ...] = (Role.ORGANISER,)
    # True when the changelist shows individuals: each viewing is audited, one row per
    # congress on the page (resource "admin:<app>_<model>_changelist", its URL name).
    lists_individuals = False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if self.lists_individuals and request.method == "GET" and "cl" in context:
            self._audit_changelist(request, context["cl"].result_list)
        return response

    def _audit_changelist(self, request: HttpRequest, shown: list) -> None:
        counts = dict(
            self.model._default_manager.filter(pk__in=[obj.pk for obj in shown])
            .order_by()
            .values_list(self.congress_path)
            .annotate(count=Count("pk"))
        )
        congresses = Congress.objects.in_bulk(list(counts))
        for congress_id, count in sorted(counts.items()):
            record_personal_data_access(
                request=request,
                congress=congresses[congress_id],
                kind="list",
                filters=request.GET,
                count=count,
            )

    def allowed_congresses(self, request: HttpRequest) -> QuerySet[Congress]:
        return congresses_for(request.user, *self.scoped_roles)

    def _congress_id_of(self, obj: object) -> int | None:
        if not self.congress_path:
            return obj.pk
        congress = reduce(getattr, self.congress_path.split("__"), obj)
        return congress.pk if congress is not None else None

    def _scope_filter(self, request: HttpRequest) -> dict:
        key = f"{self.congress_path}__in" if self.congress_path else "pk__in"
        return {key: self.allowed_congresses(request).values("pk")}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**self._scope_filter(request))

    def _may(self, request: HttpRequest, obj: object | None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        allowed = self.allowed_congresses(request)
        if obj is None:
            return allowed.exists()
        return allowed.filter(pk=self._congress_id_of(obj)).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._may(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            related = db_field.related_model
            allowed = self.allowed_congresses(request)
            if related is Congress:
                kwargs["queryset"] = allowed
            elif any(field.name == "congress" for field in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(congress__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CongressScopedInlineMixin:
    """For inlines of a CongressScopedAdmin: the parent admin's congress-scoped permission
    decides (organisers hold roles, not Django model permissions)."""

    def _parent_may(self, request: HttpRequest, obj: object | None) -> bool:
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if isinstance(parent_admin, CongressScopedAdmin):
            return parent_admin._may(request, obj)
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._parent_may(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._parent_may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._parent_may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return self._parent_may(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices come only from the congresses this organiser works on.
        if not request.user.is_superuser:
            related = db_field.related_model
            allowed = congresses_for(request.user, Role.ORGANISER)
            if related is Congress:
                kwargs["queryset"] = allowed
            elif any(field.name == "congress" for field in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(congress__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CongressScopedTabularInline(CongressScopedInlineMixin, admin.TabularInline):
    pass


class CongressScopedStackedInline(CongressScopedInlineMixin, admin.StackedInline):
    pass


class TrackInline(CongressScopedTabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Congress)
class CongressAdmin(CongressScopedAdmin):
    congress_path = ""
    list_display = (
        "name",
        "kind",
        "edition",
        "starts_on",
        "ends_on",
        "city",
        "status",
        "track_count",
    )
    list_filter = ("status", "kind")
    search_fields = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("venue",)
    inlines = [TrackInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(track_total=Count("tracks"))

    @admin.display(description="tracks", ordering="track_total")
    def track_count(self, obj: Congress) -> int:
        return obj.track_total

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new congress has no organisers yet: only the network's administrators create one.
        return request.user.is_superuser


@admin.register(Track)
class TrackAdmin(CongressScopedAdmin):
    list_display = ("name", "congress", "theme", "colour", "position")
    list_filter = ("theme", "congress")
    search_fields = ("name",)
    list_select_related = ("congress",)


@admin.register(CongressRole)
class CongressRoleAdmin(CongressScopedAdmin):
    list_display = ("user", "role", "congress", "created_at")
    list_filter = ("role", "congress")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "congress")
    autocomplete_fields = ("user",)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "country")
    search_fields = ("name", "city")


@admin.register(AuditEvent)
class AuditEventAdmin(CongressScopedAdmin):
    scoped_roles = (Role.DATA_PROTECTION,)
    list_display = ("created_at", "action", "congress", "actor", "target_type", "target_id")
    list_filter = ("action", "congress")
    search_fields = ("action", "target_id")
    list_select_related = ("congress", "actor")

    # Append-only: nobody edits or deletes audit rows, not even superusers.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False
