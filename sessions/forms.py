import datetime

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.i18n import localized
from congress.models import Congress, Track


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
