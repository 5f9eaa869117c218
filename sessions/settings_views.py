"""The programme's settings page: rooms (name in each working language, capacity)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import TranslatedFieldsMixin
from common.i18n import localized
from congress.settings_pages import Column, SettingsPage
from sessions.models import Room


class RoomForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"name": "name_translations"}

    class Meta:
        model = Room
        fields = ["name", "capacity", "accessibility_notes"]


def _rooms(congress):
    return Room.objects.filter(congress=congress).order_by("position", "pk")


ROOMS = SettingsPage(
    name="rooms",
    app="programme_settings",
    model=Room,
    form_class=RoomForm,
    queryset=_rooms,
    title=_("Rooms"),
    add_label=_("Add a room"),
    intro=_("Rooms of the venue, with their seats: a session's capacity cannot exceed its room's."),
    columns=(
        Column(_("Name"), lambda room: localized(room.name, room.name_translations)),
        Column(_("Seats"), lambda room: room.capacity),
    ),
    form_kwargs=lambda congress: {"languages": congress.working_languages},
    sortable=True,
)
