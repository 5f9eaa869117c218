from django.contrib import admin

from congress.admin import CongressScopedAdmin, CongressScopedTabularInline
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    Registration,
    RegistrationCategory,
    RegistrationSettings,
    Voucher,
)


class FeeRuleInline(CongressScopedTabularInline):
    model = FeeRule
    extra = 1


@admin.register(RegistrationCategory)
class RegistrationCategoryAdmin(CongressScopedAdmin):
    list_display = ["name", "congress", "kind", "capacity", "requires_approval", "opens_at"]
    list_filter = ["kind", "requires_approval"]
    inlines = [FeeRuleInline]


@admin.register(CountryGroup)
class CountryGroupAdmin(CongressScopedAdmin):
    list_display = ["name", "congress", "code"]


@admin.register(Voucher)
class VoucherAdmin(CongressScopedAdmin):
    list_display = ["code", "congress", "kind", "value", "times_used", "usage_limit"]
    readonly_fields = ["times_used"]


@admin.register(Question)
class QuestionAdmin(CongressScopedAdmin):
    list_display = ["code", "label", "congress", "kind", "is_required", "position"]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(CongressScopedAdmin):
    list_display = ["congress", "card_hold_minutes", "transfer_hold_days"]


@admin.register(Registration)
class RegistrationAdmin(CongressScopedAdmin):
    """Read-mostly: state changes go through the organiser pages (services, audit rows)."""

    list_display = ["person", "congress", "category", "status", "amount_due_minor"]
    list_filter = ["status"]
    search_fields = ["person__name", "person__latin_name", "person__email", "payment_reference"]
    list_select_related = ["person", "congress", "category"]
    lists_individuals = True
    readonly_fields = [
        "status",
        "amount_due_minor",
        "amount_paid_minor",
        "amount_refunded_minor",
        "payment_reference",
        "access_token_hash",
        "hold_expires_at",
        "waitlisted_at",
        "offer_expires_at",
    ]
