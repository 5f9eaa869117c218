"""The organiser's compose form: an audience by checkboxes and lists of this congress's own
categories, sessions and organisations; subject and text per working language."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import CountriesField, LocalDateTimeField, TranslatedTextField, language_name
from common.i18n import localized
from common.regions import REGIONS, region_name
from congress.models import Congress
from members.models import Organisation
from messaging.audience import Audience
from messaging.exceptions import InvalidMailing
from messaging.models import ReminderSettings
from registrations.models import Registration, RegistrationCategory, VisaLetterRequest
from sessions.models import Session, SessionSignup

PAYMENT_CHOICES = [
    ("unpaid", _("Not fully paid")),
    ("paid", _("Paid")),
    ("nothing_due", _("Nothing to pay")),
]
VISA_CHOICES = [("none", _("No visa letter requested")), *VisaLetterRequest.Status.choices]
SIGNUP_CHOICES = [
    (SessionSignup.State.SEATED, SessionSignup.State.SEATED.label),
    (SessionSignup.State.WAITLISTED, SessionSignup.State.WAITLISTED.label),
]


def scoped_audience(*, congress: Congress, audience: Audience) -> Audience:
    """`audience` with its ids checked against this congress: raises InvalidMailing naming
    the kind of object when an id belongs to another congress or does not exist."""
    checks = (
        ("categories", RegistrationCategory.objects.filter(congress=congress), _("category")),
        ("sessions", Session.objects.filter(congress=congress), _("session")),
        (
            "organisations",
            Organisation.objects.filter(people__registrations__congress=congress),
            _("organisation"),
        ),
    )
    for name, queryset, label in checks:
        wanted = set(getattr(audience, name))
        if wanted and set(queryset.filter(pk__in=wanted).values_list("pk", flat=True)) != wanted:
            raise InvalidMailing(gettext("Unknown %(kind)s for this congress.") % {"kind": label})
    return audience


def _names(queryset) -> list[tuple[int, str]]:
    return [(item.pk, localized(item.name, item.name_translations)) for item in queryset]


class AudienceForm(forms.Form):
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    statuses = forms.MultipleChoiceField(
        label=_("Registration status"),
        required=False,
        choices=Registration.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every registration that is not cancelled or rejected."),
    )
    payment = forms.MultipleChoiceField(
        label=_("Payment"),
        required=False,
        choices=PAYMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("World regions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = CountriesField(label=_("Countries"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisations = forms.TypedMultipleChoiceField(
        label=_("Organisations"), required=False, coerce=int, widget=forms.SelectMultiple
    )
    delegation_heads = forms.BooleanField(label=_("Heads of delegation only"), required=False)
    sessions = forms.TypedMultipleChoiceField(
        label=_("Signed up for sessions"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple,
    )
    session_states = forms.MultipleChoiceField(
        label=_("Sign-up"),
        required=False,
        choices=SIGNUP_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    visa = forms.MultipleChoiceField(
        label=_("Visa letter"),
        required=False,
        choices=VISA_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    speakers = forms.BooleanField(label=_("Speakers"), required=False)
    reviewers = forms.BooleanField(label=_("Reviewers"), required=False)
    is_about_registration = forms.BooleanField(
        label=_("About the recipients' own registration"),
        required=False,
        help_text=_(
            "Then it also goes to people who unsubscribed from mailings, without an "
            "unsubscribe link. Use it only for information about their registration."
        ),
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        self.fields["categories"].choices = _names(
            RegistrationCategory.objects.filter(congress=congress).order_by("position", "pk")
        )
        self.fields["regions"].choices = [(code, region_name(code)) for code in REGIONS]
        self.fields["languages"].choices = [
            (code, language_name(code)) for code in congress.working_languages or ["en"]
        ]
        self.fields["organisations"].choices = [
            (pk, name)
            for pk, name in Organisation.objects.filter(people__registrations__congress=congress)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ]
        self.fields["sessions"].choices = [
            (session.pk, localized(session.title, session.title_translations))
            for session in Session.objects.filter(congress=congress).order_by("starts_at", "pk")
        ]

    def audience(self) -> Audience:
        data = self.cleaned_data
        return Audience.from_dict(
            {name: data.get(name) for name in Audience.__dataclass_fields__ if data.get(name)}
        )


class MailingForm(AudienceForm):
    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, congress=congress, **kwargs)
        languages = congress.working_languages or ["en"]
        self.fields["subject"] = TranslatedTextField(
            languages=languages, max_length=200, label=_("Subject")
        )
        self.fields["body"] = TranslatedTextField(
            languages=languages,
            multiline=True,
            label=_("Text"),
            help_text=_(
                "Placeholders: {name} (the person's name), {link} (their private link), "
                "{amount_due} (what they still owe), {reference} (their payment reference)."
            ),
        )
        self.fields["send_at"] = LocalDateTimeField(
            tz=congress.timezone,
            required=False,
            label=_("Send at"),
        )


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "payment_due",
            "payment_due_days",
            "visa_documents_missing",
            "congress_starts",
            "congress_starts_days",
            "session_tomorrow",
        ]
