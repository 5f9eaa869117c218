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


def _https_only(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise forms.ValidationError(
            _("Give a secure link starting with https://."), code="not_https"
        )


class ChannelForm(forms.Form):
    """One interpretation channel: a language on a channel number. A row left empty is
    ignored; a row with only one of the two is refused."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    channel = forms.IntegerField(label=_("Channel"), required=False, min_value=1, max_value=99)

    def __init__(self, *args, languages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "---------"), *languages]

    def clean(self):
        cleaned = super().clean()
        language, channel = cleaned.get("language"), cleaned.get("channel")
        if language and channel is None and "channel" not in self.errors:
            self.add_error("channel", _("Give the channel number for this language."))
        if channel is not None and not language:
            self.add_error("language", _("Choose the language of this channel."))
        return cleaned


class _BaseChannelFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            number = form.cleaned_data.get("channel")
            if number is None:
                continue
            if number in seen:
                raise forms.ValidationError(
                    _("Channel %(channel)s is given twice: one language per channel.")
                    % {"channel": number},
                    code="duplicate_channel",
                )
            seen.add(number)

    @property
    def channels(self) -> list[tuple[str, int]]:
        """(language, channel) of every filled row, by channel number; after is_valid()."""
        rows = [
            (form.cleaned_data["language"], form.cleaned_data["channel"])
            for form in self.forms
            if form.cleaned_data.get("language") and form.cleaned_data.get("channel")
        ]
        return sorted(rows, key=lambda row: row[1])


def channel_formset(
    data=None, *, congress: Congress, channels: list[tuple[str, int]], prefix: str = "channels"
) -> forms.BaseFormSet:
    """The channels of a session (or room) as rows, plus empty rows to add more: one row per
    channel, language chosen from the congress's working languages."""
    languages = [(code, language_name(code)) for code in congress.working_languages]
    initial = [{"language": language, "channel": channel} for language, channel in channels]
    formset_class = forms.formset_factory(
        ChannelForm,
        formset=_BaseChannelFormSet,
        extra=max(len(languages), 1),
        max_num=12,
        absolute_max=12,
    )
    return formset_class(data, initial=initial, prefix=prefix, form_kwargs={"languages": languages})


class SessionForm(TranslatedFieldsMixin, forms.ModelForm):
    """A session of one congress: title and description in each working language, times in
    the congress's time zone, only this congress's tracks and rooms. Saving is the caller's:
    `sessions.services.save_session(session=form.instance, ...)` after `is_valid()`."""

    translated_fields = {"title": "title_translations", "description": "description_translations"}
    stream_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[_https_only],
        label=_("Stream link"),
        help_text=_("Shown only to confirmed participants, on their private page."),
    )

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
            "stream_url",
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
