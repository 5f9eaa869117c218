"""Forms for calls for participation. They validate shape and show the service's errors next
to each field; they never save anything themselves."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cfp.models import CallForParticipation, Question, Submission, SubmissionType
from cfp.services.submissions import (
    MAX_CO_AUTHORS,
    PersonDetails,
    SubmissionContent,
    validate_submission,
)
from common.i18n import localized
from members.models import Organisation

CO_AUTHOR_SLOTS = 4
TEXT_ATTRS = {"dir": "auto"}


def _language_name(code: str) -> str:
    return str(dict(settings.WORKING_LANGUAGES).get(code, code))


class SubmissionForm(forms.Form):
    """The public submission form, built from the call's types, tracks, languages and
    questions. `content` holds the parsed SubmissionContent once the form is valid."""

    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs=TEXT_ATTRS)
    )
    latin_name = forms.CharField(
        label=_("Your name in Latin script (if different)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT_ATTRS),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send your private link here. Reviewers never see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Not listed / none"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation, if not listed"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT_ATTRS),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    submission_type = forms.ChoiceField(label=_("Type of proposal"))
    track = forms.TypedChoiceField(label=_("Track"), coerce=int, required=False, empty_value=None)
    language = forms.ChoiceField(label=_("Language of the session"))
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput(attrs=TEXT_ATTRS)
    )
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={**TEXT_ATTRS, "rows": 8})
    )

    def __init__(
        self, *args, call: CallForParticipation, submission: Submission | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.submission = submission
        self.content: SubmissionContent | None = None
        self.fields["country"].choices = [("", "—"), *countries]
        type_labels = dict(SubmissionType.choices)
        self.fields["submission_type"].choices = [
            (value, type_labels.get(value, value)) for value in call.submission_types
        ]
        tracks = list(call.tracks.all())
        if tracks:
            self.fields["track"].choices = [("", "—")] + [
                (track.pk, localized(track.name, track.name_translations)) for track in tracks
            ]
            self.fields["track"].required = True
        else:
            del self.fields["track"]
        self.fields["language"].choices = [(code, _language_name(code)) for code in call.languages]
        self.fields["abstract"].help_text = _("At most %(limit)s words.") % {
            "limit": call.word_limit
        }
        for index in range(1, CO_AUTHOR_SLOTS + 1):
            self.fields[f"co_author_{index}_name"] = forms.CharField(
                label=_("Co-author %(number)s: name") % {"number": index},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs=TEXT_ATTRS),
            )
            self.fields[f"co_author_{index}_email"] = forms.EmailField(
                label=_("Co-author %(number)s: e-mail") % {"number": index},
                required=False,
                widget=forms.EmailInput(attrs={"dir": "ltr"}),
            )
        for question in call.questions.all():
            self.fields[f"question_{question.pk}"] = _question_field(question, submission)
        if submission is not None and not self.is_bound:
            self.initial.update(_initial_from(submission))

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("question_")]

    def co_author_rows(self):
        return [
            (self[f"co_author_{i}_name"], self[f"co_author_{i}_email"])
            for i in range(1, CO_AUTHOR_SLOTS + 1)
        ]

    def clean(self):
        # The service's rules run even when some fields failed their own checks, so the
        # submitter sees every problem at once.
        data = super().clean()
        co_authors = []
        for index in range(1, CO_AUTHOR_SLOTS + 1):
            name = data.get(f"co_author_{index}_name", "")
            email = data.get(f"co_author_{index}_email", "")
            if name or email:
                co_authors.append(PersonDetails(name=name, email=email))
        answers, files = {}, {}
        for question in self.call.questions.all():
            value = data.get(f"question_{question.pk}")
            if question.kind == Question.Kind.FILE:
                if value:
                    files[question.pk] = value
            else:
                answers[question.pk] = value
        content = SubmissionContent(
            submitter=PersonDetails(
                name=data.get("name", ""),
                email=data.get("email", ""),
                latin_name=data.get("latin_name", ""),
                organisation=data.get("organisation"),
                organisation_name=data.get("organisation_name", ""),
                country=data.get("country", ""),
            ),
            submission_type=data.get("submission_type", ""),
            language=data.get("language", ""),
            title=data.get("title", ""),
            abstract=data.get("abstract", ""),
            track_id=data.get("track"),
            co_authors=co_authors[:MAX_CO_AUTHORS],
            answers=answers,
            files=files,
        )
        _clean, errors = validate_submission(
            call=self.call, content=content, existing=self.submission
        )
        self.add_service_errors(errors)
        self.content = content
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for field_name, messages in errors.items():
            target = field_name if field_name in self.fields else None
            if target is not None and target in self.errors:
                continue  # the field's own check already explains the problem
            for message in messages:
                self.add_error(target, message)


def _question_field(question: Question, submission: Submission | None) -> forms.Field:
    label = localized(question.label, question.label_translations)
    options = {"label": label, "required": False, "help_text": question.help_text}
    kind = Question.Kind
    choices = [
        (
            str(choice.get("value", "")),
            localized(
                str(choice.get("label") or choice.get("value", "")),
                choice.get("label_translations"),
            ),
        )
        for choice in question.choices or []
    ]
    if question.kind == kind.TEXT:
        field = forms.CharField(max_length=300, widget=forms.TextInput(attrs=TEXT_ATTRS), **options)
    elif question.kind == kind.LONG_TEXT:
        field = forms.CharField(widget=forms.Textarea(attrs={**TEXT_ATTRS, "rows": 5}), **options)
    elif question.kind == kind.CHOICE:
        field = forms.ChoiceField(choices=[("", "—"), *choices], **options)
    elif question.kind == kind.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )
    elif question.kind == kind.YES_NO:
        field = forms.ChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **options
        )
    else:
        field = forms.FileField(
            widget=forms.ClearableFileInput(
                attrs={"accept": ".pdf,.docx,.odt,.txt,application/pdf,text/plain"}
            ),
            **options,
        )
        if submission is not None:
            field.help_text = _("Leave empty to keep the file you sent before.")
    # Required-ness is checked by the service (a file sent earlier counts), shown here too.
    field.widget.is_required = question.is_required
    field.is_question_required = question.is_required
    return field


def _initial_from(submission: Submission) -> dict:
    initial = {
        "name": submission.submitter.name,
        "latin_name": submission.submitter.latin_name,
        "email": submission.submitter.email,
        "organisation": submission.organisation_id,
        "organisation_name": submission.organisation_name,
        "country": str(submission.submitter.country or ""),
        "submission_type": submission.submission_type,
        "track": submission.track_id,
        "language": submission.language,
        "title": submission.title,
        "abstract": submission.abstract,
    }
    for index, link in enumerate(submission.co_authors.select_related("person"), start=1):
        if index > CO_AUTHOR_SLOTS:
            break
        initial[f"co_author_{index}_name"] = link.person.name
        initial[f"co_author_{index}_email"] = link.person.email
    for answer in submission.answers.select_related("question"):
        if answer.question.kind == Question.Kind.YES_NO and answer.value is not None:
            initial[f"question_{answer.question_id}"] = "yes" if answer.value else "no"
        elif answer.question.kind != Question.Kind.FILE:
            initial[f"question_{answer.question_id}"] = answer.value
    return initial


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Score"), coerce=int, widget=forms.RadioSelect)
    comment_for_committee = forms.CharField(
        label=_("Comment for the committee"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT_ATTRS, "rows": 5}),
    )
    comment_for_submitter = forms.CharField(
        label=_("Comment for the submitter (optional, sent with the decision)"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT_ATTRS, "rows": 4}),
    )

    def __init__(self, *args, call: CallForParticipation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [
            (value, str(value)) for value in range(call.score_min, call.score_max + 1)
        ]


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (seen by organisers only)"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT_ATTRS),
    )


class DashboardFilterForm(forms.Form):
    SORTS = [
        ("score", _("Highest mean score first")),
        ("-score", _("Lowest mean score first")),
        ("spread", _("Largest spread first")),
        ("title", _("Title")),
        ("submitted", _("Submission date")),
    ]
    track = forms.ChoiceField(label=_("Track"), required=False)
    submission_type = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Submission.Status.choices]
    )
    min_score = forms.FloatField(label=_("Minimum mean score"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, call: CallForParticipation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", "—")] + [
            (track.slug, localized(track.name, track.name_translations))
            for track in call.tracks.all()
        ]
        labels = dict(SubmissionType.choices)
        self.fields["submission_type"].choices = [("", "—")] + [
            (value, labels.get(value, value)) for value in call.submission_types
        ]
        self.fields["language"].choices = [("", "—")] + [
            (code, _language_name(code)) for code in call.languages
        ]
        self.fields["country"].choices = [("", "—"), *countries]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "track": data.get("track") or None,
            "submission_type": data.get("submission_type") or None,
            "language": data.get("language") or None,
            "country": data.get("country") or None,
            "status": data.get("status") or None,
            "min_score": data.get("min_score"),
            "sort": data.get("sort") or "score",
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (value, label)
            for value, label in Submission.Status.choices
            if value in Submission.DECISIONS
        ],
    )
    submissions = forms.TypedMultipleChoiceField(
        label=_("Submissions"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, submission_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submissions"].choices = [(pk, str(pk)) for pk in submission_ids]


class AssignForm(forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, reviewers: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            (user.pk, user.get_full_name() or user.get_username()) for user in reviewers
        ]
