"""Admin (for the site's operators) of calls for participation, submissions and reviews."""

from django.contrib import admin

from cfp.models import (
    CallForParticipation,
    ConflictOfInterest,
    DecisionEmailTemplate,
    Question,
    Review,
    ReviewAssignment,
    ReviewerInvitation,
    Submission,
)
from congress.admin import (
    CongressScopedAdmin,
    CongressScopedStackedInline,
    CongressScopedTabularInline,
)
from congress.models import CongressRole
from congress.services import grant_congress_role


class QuestionInline(CongressScopedStackedInline):
    model = Question
    extra = 0
    fields = (
        ("label", "kind", "is_required", "is_identifying", "position"),
        "label_translations",
        "help_text",
        "choices",
    )


class DecisionEmailTemplateInline(CongressScopedStackedInline):
    model = DecisionEmailTemplate
    extra = 0


class ReviewerInvitationInline(CongressScopedTabularInline):
    model = ReviewerInvitation
    extra = 0
    autocomplete_fields = ("reviewer",)
    filter_horizontal = ("tracks",)


@admin.register(CallForParticipation)
class CallForParticipationAdmin(CongressScopedAdmin):
    list_display = ("title", "congress", "opens_at", "closes_at", "is_anonymised")
    list_filter = ("congress",)
    search_fields = ("title", "slug")
    list_select_related = ("congress",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tracks",)
    inlines = [QuestionInline, ReviewerInvitationInline, DecisionEmailTemplateInline]

    def save_formset(self, request, form, formset, change):
        """Reviewers invited through the inline get the congress's reviewer role, as
        `invite_reviewer` gives it: without it the automatic assignment skipped them and
        reported "0 review assignments were made"."""
        super().save_formset(request, form, formset, change)
        if formset.model is ReviewerInvitation:
            call = form.instance
            saved = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
            for invitation in saved:
                grant_congress_role(
                    congress=call.congress,
                    user=invitation.reviewer,
                    role=CongressRole.Role.REVIEWER,
                    granted_by=request.user,
                )


@admin.register(Submission)
class SubmissionAdmin(CongressScopedAdmin):
    list_display = ("title", "call", "submission_type", "language", "status", "submitted_at")
    list_filter = ("status", "submission_type", "language", "congress")
    search_fields = ("title",)
    list_select_related = ("call",)
    readonly_fields = (
        "access_token_hash",
        "programme_session",
        "submitted_at",
        "decided_at",
        "decision_email_sent_at",
    )
    raw_id_fields = ("submitter", "organisation")


@admin.register(Review)
class ReviewAdmin(CongressScopedAdmin):
    congress_path = "submission__congress"
    list_display = ("submission", "reviewer", "score", "updated_at")
    list_select_related = ("submission", "reviewer")
    raw_id_fields = ("submission",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(CongressScopedAdmin):
    congress_path = "submission__congress"
    list_display = ("submission", "reviewer", "is_automatic", "created_at")
    list_select_related = ("submission", "reviewer")
    raw_id_fields = ("submission",)


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(CongressScopedAdmin):
    congress_path = "submission__congress"
    list_display = ("submission", "reviewer", "declared_at")
    list_select_related = ("submission", "reviewer")
    raw_id_fields = ("submission",)
