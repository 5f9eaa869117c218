"""The organiser's call pages: open a call, edit it and its review settings, open and close
it, and build its questions (the form builder). No page links to the Django admin."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cfp.forms import _question_field
from cfp.models import CallForParticipation, Question
from cfp.services.calls import close_call, open_call
from cfp.settings_forms import CallForm, CallQuestionForm, ReviewSettingsForm
from common.exceptions import DomainError
from common.i18n import localized
from congress.models import Congress
from congress.permissions import Role, congress_for_request
from congress.settings_forms import apply_choices, question_builder
from congress.settings_pages import SettingsPage
from congress.settings_services import (
    delete_settings_object,
    parse_ids,
    reorder_settings_objects,
    save_settings_object,
    unique_code,
)

CHOICE_KINDS = (Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE)


def _calls(congress: Congress):
    return CallForParticipation.objects.filter(congress=congress).order_by("opens_at", "pk")


def _call_slug(call: CallForParticipation, congress: Congress, form) -> None:
    if not call.slug:
        call.slug = unique_code(
            queryset=CallForParticipation.objects.filter(congress=congress),
            field="slug",
            text=call.title,
            fallback="call",
        )


CALLS = SettingsPage(
    name="calls",
    app="cfp_settings",
    model=CallForParticipation,
    form_class=CallForm,
    queryset=_calls,
    title=gettext_lazy("Calls for participation"),
    add_label=gettext_lazy("Open a new call"),
    columns=(),
    form_kwargs=lambda congress: {"congress": congress},
    prepare=_call_slug,
    many_to_many=("tracks",),
)

REVIEW_SETTINGS = SettingsPage(
    name="calls_review",
    app="cfp_settings",
    model=CallForParticipation,
    form_class=ReviewSettingsForm,
    queryset=_calls,
    title=gettext_lazy("Review settings"),
    add_label=gettext_lazy("Review settings"),
    columns=(),
)


def _call(request: HttpRequest, slug: str, call_pk: int) -> tuple[Congress, CallForParticipation]:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    return congress, get_object_or_404(_calls(congress), pk=call_pk)


def _back_to_calls(congress: Congress) -> HttpResponse:
    return redirect("cfp:manage", slug=congress.slug)


@login_required
@require_POST
def call_open(request: HttpRequest, slug: str, call_pk: int) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    try:
        open_call(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The call is open."))
    return _back_to_calls(congress)


@login_required
@require_POST
def call_close(request: HttpRequest, slug: str, call_pk: int) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    try:
        close_call(call=call, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The call is closed: no proposal is accepted any more."))
    return _back_to_calls(congress)


# --- the call's questions (form builder) ------------------------------------------------------


def _questions(call: CallForParticipation):
    return Question.objects.filter(call=call).order_by("position", "pk")


@login_required
def call_questions(request: HttpRequest, slug: str, call_pk: int) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    if request.method == "POST":
        return _reorder(request, congress, call)
    return render(
        request,
        "cfp/settings/questions.html",
        {"congress": congress, "call": call, "questions": list(_questions(call))},
    )


def _reorder(request: HttpRequest, congress: Congress, call: CallForParticipation):
    try:
        reorder_settings_objects(
            queryset=_questions(call),
            ordered_ids=parse_ids(request.POST.getlist("item")),
            congress=congress,
            actor=request.user,
        )
    except DomainError as error:
        if request.htmx:
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
    if request.htmx:
        return render(
            request,
            "cfp/settings/_question_rows.html",
            {"congress": congress, "call": call, "questions": list(_questions(call))},
        )
    return redirect("cfp_settings:questions", slug=congress.slug, call_pk=call.pk)


class _PreviewForm(forms.Form):
    def __init__(self, question: Question):
        super().__init__()
        self.fields[f"question_{question.pk or 0}"] = _question_field(question, None)


def _builder(request: HttpRequest, congress: Congress, question: Question):
    return question_builder(
        request,
        congress=congress,
        question=question,
        form_class=CallQuestionForm,
        translations_key="label_translations",
    )


def _apply_choices(form, formset, congress: Congress) -> bool:
    return apply_choices(
        form,
        formset,
        congress=congress,
        translations_key="label_translations",
        choice_kinds=CHOICE_KINDS,
    )


@login_required
def call_question_edit(
    request: HttpRequest, slug: str, call_pk: int, pk: int | None = None
) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    question = get_object_or_404(_questions(call), pk=pk) if pk else Question(call=call)
    form, formset = _builder(request, congress, question)
    if request.method == "POST" and _apply_choices(form, formset, congress):
        instance = form.save(commit=False)
        if instance.pk is None:
            instance.position = _questions(call).count()
        try:
            save_settings_object(
                instance=instance, congress=congress, actor=request.user, owner="call"
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question was saved."))
            return redirect("cfp_settings:questions", slug=congress.slug, call_pk=call.pk)
    return render(
        request,
        "congress/backoffice/question_builder.html",
        {
            "congress": congress,
            "form": form,
            "formset": formset,
            "heading": localized(question.label, question.label_translations)
            if question.pk
            else _("Add a question"),
            "list_title": _("Questions of “%(call)s”")
            % {"call": localized(call.title, call.title_translations)},
            "list_url": reverse(
                "cfp_settings:questions", kwargs={"slug": congress.slug, "call_pk": call.pk}
            ),
            "preview": _PreviewForm(question) if question.pk else None,
            "preview_template": "cfp/settings/_question_preview.html",
            "preview_url": reverse(
                "cfp_settings:question_preview",
                kwargs={"slug": congress.slug, "call_pk": call.pk},
            ),
        },
    )


@login_required
@require_POST
def call_question_preview(request: HttpRequest, slug: str, call_pk: int) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    question = Question(call=call)
    form, formset = _builder(request, congress, question)
    preview = _PreviewForm(question) if _apply_choices(form, formset, congress) else None
    return render(request, "cfp/settings/_question_preview.html", {"preview": preview})


@login_required
def call_question_delete(request: HttpRequest, slug: str, call_pk: int, pk: int) -> HttpResponse:
    congress, call = _call(request, slug, call_pk)
    list_url = reverse("cfp_settings:questions", kwargs={"slug": congress.slug, "call_pk": call.pk})
    if request.method != "POST":
        question = get_object_or_404(_questions(call), pk=pk)
        return render(
            request,
            "congress/backoffice/settings_delete.html",
            {
                "congress": congress,
                "page": {"title": _("Questions")},
                "object": localized(question.label, question.label_translations),
                "list_url": list_url,
            },
        )
    try:
        delete_settings_object(
            queryset=_questions(call), pk=pk, congress=congress, actor=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Deleted."))
    return redirect(list_url)
