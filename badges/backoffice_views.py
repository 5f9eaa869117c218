"""Organisers' badge pages: the list of badge templates, the template editor and its live
preview (a PDF of sample badges drawn by the real badge renderer), and the door checkpoints."""

from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from badges.exceptions import CheckpointExists
from badges.forms import (
    AddCheckpointForm,
    BadgeTemplateForm,
    CheckpointSettingsForm,
    PreviewForm,
)
from badges.models import BadgeTemplate, Checkpoint
from badges.queries import congress_checkpoints
from badges.services.checkpoints import add_checkpoint, update_checkpoint_settings
from badges.services.templates import render_template_preview, save_badge_template
from common.i18n import localized
from congress.permissions import Role, congress_for_request
from registrations.models import RegistrationCategory


@login_required
def templates(request: HttpRequest, slug: str) -> HttpResponse:
    """The congress's badge templates and its categories' badge colours."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    labels = dict(BadgeTemplate.Field.choices)
    rows = list(
        BadgeTemplate.objects.filter(congress=congress)
        .select_related("category")
        .order_by("category__position", "category__name", "name")
    )
    for row in rows:
        row.field_labels = [
            str(labels[code])
            for code in row.fields or BadgeTemplate.DEFAULT_FIELDS
            if code in labels
        ]
    context = {
        "congress": congress,
        "templates": rows,
        "categories": list(
            RegistrationCategory.objects.filter(congress=congress).order_by("position", "name")
        ),
    }
    return render(request, "badges/backoffice/templates.html", context)


@login_required
def template_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Create or change a badge template: size and sheet, fields and their order, colours per
    category, logo; the preview beside the form follows every change."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    template = (
        get_object_or_404(BadgeTemplate, pk=pk, congress=congress)
        if pk is not None
        else BadgeTemplate(congress=congress, name=gettext("Badge"))
    )
    form = BadgeTemplateForm(
        request.POST or None, request.FILES or None, instance=template, congress=congress
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_badge_template(
                template=form.save(commit=False),
                category_colours=form.category_colours(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The badge template is saved."))
            return redirect("badges:templates", slug=congress.slug)
    context = {"congress": congress, "form": form, "template": template if pk else None}
    return render(request, "badges/backoffice/template_form.html", context)


def _preview_query(request: HttpRequest) -> str:
    params = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key in {"size", "fields", "text_colour", "template"} or key.startswith("colour_")
    ]
    return urlencode(params)


@login_required
def template_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: the preview frame for the editor's current values (nothing is saved)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = PreviewForm(request.GET, congress=congress)
    context = {
        "congress": congress,
        "form": form,
        "preview_url": reverse("badges:template_preview_pdf", kwargs={"slug": congress.slug})
        + "?"
        + _preview_query(request),
    }
    return render(request, "badges/backoffice/_preview.html", context)


@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})  # shown in the editor's own preview frame
def template_preview_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Four sample badges (Latin, Arabic, Cyrillic and CJK names) in the given design."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = PreviewForm(request.GET, congress=congress)
    if not form.is_valid():
        return render(
            request,
            "badges/backoffice/_preview.html",
            {"congress": congress, "form": form},
            status=400,
        )
    logo_path = ""
    template_id = request.GET.get("template", "")
    if template_id.isdigit():
        template = BadgeTemplate.objects.filter(congress=congress, pk=template_id).first()
        logo_path = template.logo.path if template and template.logo else ""
    pdf = render_template_preview(
        congress=congress,
        size=form.cleaned_data["size"],
        fields=form.cleaned_data["fields"],
        text_colour=form.cleaned_data["text_colour"],
        category_colours=form.category_colours(),
        logo_path=logo_path,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="badge-preview.pdf"'
    return response


@login_required
def checkpoints(request: HttpRequest, slug: str) -> HttpResponse:
    """The congress's doors (entrance, room doors, session doors) with their settings, and
    the form that adds the entrance or a room's door."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = AddCheckpointForm(request.POST or None, congress=congress)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                checkpoint = add_checkpoint(
                    congress=congress,
                    kind=form.cleaned_data["kind"],
                    room=form.cleaned_data["room"],
                    actor=request.user,
                )
            except CheckpointExists as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, gettext("%(name)s is added.") % {"name": checkpoint_label(checkpoint)}
                )
                return redirect("badges:checkpoints", slug=congress.slug)
        status = 400
    rows = list(congress_checkpoints(congress=congress))
    context = {
        "congress": congress,
        "checkpoints": [(row, checkpoint_label(row)) for row in rows],
        "form": form,
        "has_entrance": any(row.kind == Checkpoint.Kind.ENTRANCE for row in rows),
    }
    return render(request, "badges/backoffice/checkpoints.html", context, status=status)


def checkpoint_label(checkpoint: Checkpoint) -> str:
    """What the organiser reads for a door: the entrance, its room's or session's name."""
    if checkpoint.kind == Checkpoint.Kind.ROOM and checkpoint.room is not None:
        return localized(checkpoint.room.name, checkpoint.room.name_translations)
    if checkpoint.kind == Checkpoint.Kind.SESSION and checkpoint.session is not None:
        return localized(checkpoint.session.title, checkpoint.session.title_translations)
    if checkpoint.kind == Checkpoint.Kind.ENTRANCE:
        return str(Checkpoint.Kind.ENTRANCE.label)
    return checkpoint.name


@login_required
def checkpoint_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One door's settings: active, open to all (session doors), names in the offline list."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    checkpoint = get_object_or_404(
        Checkpoint.objects.select_related("session", "room"), pk=pk, congress=congress
    )
    form = CheckpointSettingsForm(
        request.POST if request.method == "POST" else None, checkpoint=checkpoint
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        update_checkpoint_settings(
            checkpoint=checkpoint,
            is_active=values.get("is_active", checkpoint.is_active),
            is_open_to_all=values.get("is_open_to_all", checkpoint.is_open_to_all),
            offline_list_shows_names=values["offline_list_shows_names"],
            actor=request.user,
        )
        messages.success(
            request,
            gettext("The settings of %(name)s are saved.") % {"name": checkpoint_label(checkpoint)},
        )
        return redirect("badges:checkpoints", slug=congress.slug)
    context = {
        "congress": congress,
        "checkpoint": checkpoint,
        "label": checkpoint_label(checkpoint),
        "form": form,
    }
    return render(request, "badges/backoffice/checkpoint_form.html", context)
