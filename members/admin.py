"""Members admin. Organisations, people and memberships span congresses, so only the
network's administrators (superusers) manage them here; organisers see the people of their
own congress through registrations."""

from django.contrib import admin
from django.http import HttpRequest

from members.models import Membership, Network, Organisation, Person


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("network",)


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnlyAdmin):
    list_display = ("name", "acronym", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym")
    inlines = [MembershipInline]


@admin.register(Network)
class NetworkAdmin(SuperuserOnlyAdmin):
    list_display = ("name", "scope")
    list_filter = ("scope",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdmin):
    list_display = ("organisation", "network", "status", "joined_on")
    list_filter = ("status", "network")
    search_fields = ("organisation__name",)
    list_select_related = ("organisation", "network")
    autocomplete_fields = ("organisation", "network")


@admin.register(Person)
class PersonAdmin(SuperuserOnlyAdmin):
    list_display = ("name", "latin_name", "organisation", "country", "preferred_language")
    list_filter = ("preferred_language", "country")
    search_fields = ("name", "latin_name", "email")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "user")
