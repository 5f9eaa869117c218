"""The programme's settings page: rooms (name in each working language, capacity)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import TranslatedFieldsMixin, language_name
from common.i18n import localized
from congress.settings_pages import Column, SettingsPage
from sessions.models import Room
from sessions.services import set_room_channels


class RoomForm(TranslatedFieldsMixin, forms.ModelForm):
    """A room, with its interpretation channels: one optional channel number per working
    language (sessions without channels of their own use the room's)."""

    translated_fields = {"name": "name_translations"}

    class Meta:
        model = Room
        fields = ["name", "capacity", "accessibility_notes"]

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, languages=languages, **kwargs)
        current = (
            dict(self.instance.interpretation_channels.values_list("language", "channel"))
            if self.instance.pk
            else {}
        )
        self.channel_languages = list(languages)
        for code in self.channel_languages:
            self.fields[f"channel_{code}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=99,
                initial=current.get(code),
                label=_("Interpretation channel for %(language)s")
                % {"language": language_name(code)},
                help_text=_("Empty: no interpretation into this language in this room."),
            )

    def clean(self):
        cleaned = super().clean()
        seen: dict[int, str] = {}
        for code in self.channel_languages:
            number = cleaned.get(f"channel_{code}")
            if number is None:
                continue
            if number in seen:
                self.add_error(
                    f"channel_{code}",
                    _("Channel %(channel)s is given twice: one language per channel.")
                    % {"channel": number},
                )
            seen[number] = code
        return cleaned

    @property
    def channels(self) -> list[tuple[str, int]]:
        """(language, channel) of the filled inputs, by channel number; after is_valid()."""
        rows = [
            (code, self.cleaned_data[f"channel_{code}"])
            for code in self.channel_languages
            if self.cleaned_data.get(f"channel_{code}") is not None
        ]
        return sorted(rows, key=lambda row: row[1])


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
    after_save=lambda room, congress, form, actor: set_room_channels(
        room=room, channels=form.channels
    ),
)
