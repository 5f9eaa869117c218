import datetime

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDateTimeField, TranslatedFieldsMixin, language_name
from common.i18n import localized
from congress.models import Congress, Track
from sessions.models import Session


class ProgrammeFilterForm(forms.Form):
    """Shape of the public programme's filters; all optional."""

    day = forms.TypedChoiceField(
        label=_("Day"), required=False, coerce=datetime.date.fromisoformat, empty_value=None
    )
    track = forms.ChoiceField(label=_("Track"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(label=_("Search title or speaker"), required=False, max_length=100)

    def __init__(
        self, *args, congress: Congress, days: list[datetime.date], tracks: list[Track], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [("", _("All days"))] + [
            (day.isoformat(), date_format(day, "l j F")) for day in days
        ]
        self.fields["track"].choices = [("", _("All tracks"))] + [
            (track.slug, localized(track.name, track.name_translations)) for track in tracks
        ]
        names = dict(settings.WORKING_LANGUAGES)
        self.fields["language"].choices = [("", _("All languages"))] + [
            (code, names.get(code, code)) for code in congress.working_languages
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})


# Organisers' pages ---------------------------------------------------------------------------


class _TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return localized(obj.name, obj.name_translations)


class _RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(room)s (%(capacity)s seats)") % {"room": obj.name, "capacity": obj.capacity}


def _check_times(form: forms.Form, starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        form.add_error("ends_at", _("A session cannot end before it starts."))


class SessionForm(TranslatedFieldsMixin, forms.ModelForm):
    """A session of one congress: title and description in each working language, times in
    the congress's time zone, only this congress's tracks and rooms. Saving is the caller's:
    `sessions.services.save_session(session=form.instance, ...)` after `is_valid()`."""

    translated_fields = {"title": "title_translations", "description": "description_translations"}

    class Meta:
        model = Session
        fields = [
            "title",
            "description",
            "kind",
            "track",
            "room",
            "starts_at",
            "ends_at",
            "floor_language",
            "interpretation_languages",
            "capacity",
            "requires_signup",
        ]

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
        self.instance.congress = congress
        self.fields["track"] = _TrackChoiceField(
            queryset=congress.tracks.order_by("position", "name"),
            required=False,
            label=_("Track"),
            empty_label=_("No track"),
        )
        self.fields["room"] = _RoomChoiceField(
            queryset=congress.rooms.order_by("position", "name"),
            required=False,
            label=_("Room"),
            empty_label=_("Not in a room yet"),
        )
        for name, label in (("starts_at", _("Starts at")), ("ends_at", _("Ends at"))):
            self.fields[name] = LocalDateTimeField(tz=congress.timezone, label=label)
        languages = [(code, language_name(code)) for code in congress.working_languages]
        self.fields["floor_language"] = forms.ChoiceField(
            choices=languages, label=_("Floor language")
        )
        self.fields["interpretation_languages"] = forms.MultipleChoiceField(
            choices=languages,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Interpretation into"),
        )

    def clean(self):
        cleaned = super().clean()
        _check_times(self, cleaned.get("starts_at"), cleaned.get("ends_at"))
        floor = cleaned.get("floor_language")
        if floor and floor in cleaned.get("interpretation_languages", []):
            cleaned["interpretation_languages"] = [
                code for code in cleaned["interpretation_languages"] if code != floor
            ]
        return cleaned


class ScheduleForm(forms.Form):
    """Where and when a session goes, as the timetable editor sends it after a drop: a room of
    this congress (none: back to the unscheduled list), a local start, and a local end or a
    duration in minutes (a move keeps the duration, a resize sends the new end)."""

    room = forms.ModelChoiceField(queryset=None, required=False)
    starts_at = forms.DateTimeField()
    ends_at = forms.DateTimeField(required=False)
    duration = forms.IntegerField(required=False, min_value=5, max_value=24 * 60)

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = congress.rooms.all()
        self.fields["room"].error_messages["invalid_choice"] = _("Choose a room of this congress.")
        self.fields["starts_at"] = LocalDateTimeField(tz=congress.timezone)
        self.fields["ends_at"] = LocalDateTimeField(tz=congress.timezone, required=False)

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if starts_at and not cleaned.get("ends_at"):
            if cleaned.get("duration") is None:
                raise forms.ValidationError(_("Give an end time or a duration."))
            cleaned["ends_at"] = starts_at + datetime.timedelta(minutes=cleaned["duration"])
        _check_times(self, starts_at, cleaned.get("ends_at"))
        return cleaned
