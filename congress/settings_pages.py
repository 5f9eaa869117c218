"""The organiser's settings pages, shared by every app: a list, an add/edit form, delete and
drag-and-drop reordering of one kind of a congress's objects (tracks, rooms, categories...).

An app describes its page with a `SettingsPage` and routes to `list_page`, `edit_page`,
`delete_page` and `reorder_page`; each one finds the congress with `congress_for_request`
(organisers only by default), scopes every query to it and calls the services in
`congress.settings_services`. Templates: `congress/backoffice/settings_list.html` and
`settings_form.html`, which an app may replace with its own.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from congress.models import Congress
from congress.permissions import Role, congress_for_request
from congress.settings_services import (
    delete_settings_object,
    parse_ids,
    reorder_settings_objects,
    save_settings_object,
)


def _nothing_after_save(instance: Any, congress: Congress, form: Any, actor: Any) -> None:
    return None


@dataclass(frozen=True)
class Column:
    label: str | Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class SettingsPage:
    """What one settings page shows and edits.

    `queryset(congress)` lists the congress's objects (with what the columns need selected, so
    the list makes no query per row); `form_kwargs(congress)` are passed to `form_class`;
    `prepare(instance, congress, form)` fills what the form does not (a generated code).
    """

    name: str  # URL name prefix inside the app: "tracks" -> tracks, tracks_add, tracks_edit...
    app: str  # URL namespace
    model: type[models.Model]
    form_class: type
    queryset: Callable[[Congress], models.QuerySet]
    title: str | Promise
    add_label: str | Promise
    columns: tuple[Column, ...]
    form_kwargs: Callable[[Congress], dict] = lambda congress: {}
    prepare: Callable[[Any, Congress, Any], None] = lambda instance, congress, form: None
    # `after_save(instance, congress, form, actor)` saves what hangs off the object (a room's
    # interpretation channels) by calling its app's service, in the same transaction.
    after_save: Callable[[Any, Congress, Any, Any], None] = _nothing_after_save
    many_to_many: tuple[str, ...] = ()
    sortable: bool = False
    intro: str | Promise = ""
    roles: tuple[str, ...] = (Role.ORGANISER,)
    list_template: str = "congress/backoffice/settings_list.html"
    form_template: str = "congress/backoffice/settings_form.html"
    extra_context: Callable[[Congress, Any], dict] = field(default=lambda congress, instance: {})

    def url(self, congress: Congress, suffix: str = "", **kwargs) -> str:
        name = f"{self.app}:{self.name}{'_' + suffix if suffix else ''}"
        return reverse(name, kwargs={"slug": congress.slug, **kwargs})


def _rows(page: SettingsPage, congress: Congress) -> list[dict]:
    return [
        {
            "object": obj,
            "cells": [column.value(obj) for column in page.columns],
            "edit_url": page.url(congress, "edit", pk=obj.pk),
            "delete_url": page.url(congress, "delete", pk=obj.pk),
        }
        for obj in page.queryset(congress)
    ]


@login_required
def list_page(request: HttpRequest, slug: str, *, page: SettingsPage) -> HttpResponse:
    congress = congress_for_request(request, slug, *page.roles)
    return render(
        request,
        page.list_template,
        {
            "congress": congress,
            "page": page,
            "rows": _rows(page, congress),
            "headers": [column.label for column in page.columns],
            "add_url": page.url(congress, "add"),
            "reorder_url": page.url(congress, "reorder") if page.sortable else "",
        },
    )


@login_required
def edit_page(
    request: HttpRequest, slug: str, pk: int | None = None, *, page: SettingsPage
) -> HttpResponse:
    congress = congress_for_request(request, slug, *page.roles)
    instance = page.model()
    if pk is not None:
        instance = page.queryset(congress).filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = page.form_class(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        **page.form_kwargs(congress),
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        try:
            page.prepare(obj, congress, form)
            if any(f.name == "congress" for f in page.model._meta.concrete_fields):
                obj.congress = congress
            # The form leaves out `congress`, so it cannot check constraints that include it
            # (a room name used twice in one congress): check them all here.
            obj.validate_constraints()
            with transaction.atomic():
                save_settings_object(
                    instance=obj,
                    congress=congress,
                    actor=request.user,
                    many_to_many={name: form.cleaned_data[name] for name in page.many_to_many},
                )
                page.after_save(obj, congress, form, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect(page.url(congress))
    return render(
        request,
        page.form_template,
        {
            "congress": congress,
            "page": page,
            "form": form,
            "object": instance if instance.pk else None,
            "list_url": page.url(congress),
            **page.extra_context(congress, instance),
        },
    )


@login_required
def delete_page(request: HttpRequest, slug: str, pk: int, *, page: SettingsPage) -> HttpResponse:
    """GET asks for confirmation; POST deletes (refused while something still uses it)."""
    congress = congress_for_request(request, slug, *page.roles)
    if request.method != "POST":
        instance = page.queryset(congress).filter(pk=pk).first()
        if instance is None:
            raise Http404
        return render(
            request,
            "congress/backoffice/settings_delete.html",
            {
                "congress": congress,
                "page": page,
                "object": instance,
                "list_url": page.url(congress),
            },
        )
    try:
        delete_settings_object(
            queryset=page.queryset(congress), pk=pk, congress=congress, actor=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Deleted."))
    return redirect(page.url(congress))


@login_required
@require_POST
def reorder_page(request: HttpRequest, slug: str, *, page: SettingsPage) -> HttpResponse:
    """The new order from the drag-and-drop list (`item` = ids in order). An htmx request
    gets the list body back; a plain form post (no JavaScript) is redirected to the list."""
    congress = congress_for_request(request, slug, *page.roles)
    try:
        reorder_settings_objects(
            queryset=page.queryset(congress),
            ordered_ids=parse_ids(request.POST.getlist("item")),
            congress=congress,
            actor=request.user,
        )
    except DomainError as error:
        if request.htmx:
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
        return redirect(page.url(congress))
    if request.htmx:
        return render(
            request,
            "congress/backoffice/_settings_rows.html",
            {"congress": congress, "page": page, "rows": _rows(page, congress)},
        )
    messages.success(request, _("The new order was saved."))
    return redirect(page.url(congress))


def settings_urls(page: SettingsPage, prefix: str) -> list:
    """The four routes of a settings page under `congresses/<slug>/manage/<prefix>/`."""
    from django.urls import path

    base = f"congresses/<slug:slug>/manage/{prefix}/"
    routes = [
        path(base, list_page, {"page": page}, name=page.name),
        path(f"{base}add/", edit_page, {"page": page}, name=f"{page.name}_add"),
        path(f"{base}<int:pk>/", edit_page, {"page": page}, name=f"{page.name}_edit"),
        path(f"{base}<int:pk>/delete/", delete_page, {"page": page}, name=f"{page.name}_delete"),
    ]
    if page.sortable:
        routes.append(
            path(f"{base}order/", reorder_page, {"page": page}, name=f"{page.name}_reorder")
        )
    return routes
