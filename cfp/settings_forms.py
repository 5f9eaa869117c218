"""Forms of the organiser's call pages: the call, its review settings, its questions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cfp.models import CallForParticipation, Question, SubmissionType
from common.forms import LanguagesField, LocalDateTimeField, TranslatedFieldsMixin
from common.i18n import localized
from congress.models import Congress, Track


class _TrackChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Track) -> str:
        return localized(obj.name, obj.name_translations)


class CallForm(TranslatedFieldsMixin, forms.ModelForm):
    """Title and description per language, what may be proposed, in which tracks and
    languages, and when (in the congress's time zone)."""

    translated_fields = {"title": "title_translations", "description": "description_translations"}

    submission_types = forms.MultipleChoiceField(
        label=_("Submission types"),
        choices=SubmissionType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = LanguagesField(label=_("Languages a session may be given in"))

    class Meta:
        model = CallForParticipation
        fields = [
            "title",
            "description",
            "opens_at",
            "closes_at",
            "submission_types",
            "tracks",
            "languages",
            "word_limit",
        ]

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name] = LocalDateTimeField(
                tz=congress.timezone,
                label=CallForParticipation._meta.get_field(name).verbose_name.capitalize(),
            )
        self.fields["tracks"] = _TrackChoice(
            queryset=Track.objects.filter(congress=congress).order_by("position", "name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Tracks"),
            help_text=_("Tracks a proposal may choose; none means the call has no tracks."),
        )
        if not self.instance.pk and not self.initial.get("languages"):
            self.initial["languages"] = list(congress.working_languages)

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The call must close after it opens."))
        return cleaned


class ReviewSettingsForm(forms.ModelForm):
    """How the call's proposals are reviewed."""

    class Meta:
        model = CallForParticipation
        fields = ["reviews_per_submission", "is_anonymised", "score_min", "score_max"]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("score_min"), cleaned.get("score_max")
        if low is not None and high is not None and high <= low:
            self.add_error("score_max", _("The highest score must be above the lowest."))
        if (cleaned.get("reviews_per_submission") or 1) < 1:
            self.add_error("reviews_per_submission", _("Ask for one review at least."))
        return cleaned


class CallQuestionForm(TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {"label": "label_translations"}

    class Meta:
        model = Question
        fields = ["label", "help_text", "kind", "is_required", "is_identifying"]

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, languages=congress.working_languages, **kwargs)
