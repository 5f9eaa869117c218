"""The congress's own settings pages: general settings and tracks (see settings_pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.i18n import localized
from congress.models import Congress, Track
from congress.permissions import Role, congress_for_request
from congress.settings_forms import CongressSettingsForm, TrackForm
from congress.settings_pages import Column, SettingsPage
from congress.settings_services import unique_code, update_congress_settings


@login_required
def general_settings(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(
        request, slug, Role.ORGANISER, queryset=Congress.objects.select_related("venue")
    )
    form = CongressSettingsForm(
        request.POST or None, instance=congress, languages=congress.working_languages
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_congress_settings(
                congress=form.instance,
                actor=request.user,
                venue_name=form.cleaned_data["venue_name"],
                venue_address=form.cleaned_data["venue_address"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The congress settings were saved."))
            return redirect("congress_settings:general", slug=congress.slug)
    return render(
        request, "congress/backoffice/general_settings.html", {"congress": congress, "form": form}
    )


def _track_code(track: Track, congress: Congress, form) -> None:
    if not track.slug:
        track.slug = unique_code(
            queryset=Track.objects.filter(congress=congress),
            field="slug",
            text=track.name,
            fallback="track",
        )


def _colour_swatch(track: Track):
    from django.utils.html import format_html

    # An input shows the colour without an inline style (the CSP forbids those).
    return format_html(
        '<input type="color" value="{}" disabled aria-label="{}">', track.colour, track.colour
    )


TRACKS = SettingsPage(
    name="tracks",
    app="congress_settings",
    model=Track,
    form_class=TrackForm,
    queryset=lambda congress: Track.objects.filter(congress=congress).order_by("position", "pk"),
    title=gettext_lazy("Tracks"),
    add_label=gettext_lazy("Add a track"),
    intro=gettext_lazy(
        "Thematic tracks group the programme's sessions and calls; the order here is the "
        "order participants see."
    ),
    columns=(
        Column(gettext_lazy("Name"), lambda track: localized(track.name, track.name_translations)),
        Column(gettext_lazy("Theme"), lambda track: track.get_theme_display()),
        Column(gettext_lazy("Colour"), _colour_swatch),
    ),
    form_kwargs=lambda congress: {"languages": congress.working_languages},
    prepare=_track_code,
    sortable=True,
)
