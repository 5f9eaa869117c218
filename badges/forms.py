"""Forms of the organisers' badge pages: the template editor and its live preview, revocations
and headset loans."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeTemplate, Checkpoint
from badges.services.templates import check_logo
from common.i18n import localized
from congress.models import Congress, colour_validator
from registrations.models import RegistrationCategory
from sessions.models import Room


class ColourInput(forms.TextInput):
    input_type = "color"


class _CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return localized(obj.name, obj.name_translations)


class _CategoryColours:
    """One colour input per category of the congress (`colour_<id>`), its badge colour."""

    def _add_colour_fields(self, categories: list[RegistrationCategory]) -> None:
        self.categories = categories
        for category in categories:
            self.fields[f"colour_{category.pk}"] = forms.CharField(
                label=localized(category.name, category.name_translations),
                initial=category.colour,
                required=False,
                validators=[colour_validator],
                widget=ColourInput(),
            )

    def category_colours(self) -> dict[int, str]:
        return {
            category.pk: self.cleaned_data.get(f"colour_{category.pk}") or ""
            for category in self.categories
        }

    def colour_fields(self):
        return [self[f"colour_{category.pk}"] for category in self.categories]


class _OrderedFields(forms.MultipleChoiceField):
    """The printed fields as checkboxes, in the order the organiser dragged them into."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=BadgeTemplate.Field.choices, **kwargs)

    def clean(self, value):
        chosen = super().clean(value)
        return list(dict.fromkeys(chosen))  # the browser sends them in the page's order


def field_choices_in_order(selected: list[str]) -> list[tuple[str, str]]:
    """Every printable field, the selected ones first in their order (the drag list)."""
    labels = dict(BadgeTemplate.Field.choices)
    rest = [code for code in labels if code not in selected]
    return [(code, labels[code]) for code in [*selected, *rest] if code in labels]


class BadgeTemplateForm(_CategoryColours, forms.ModelForm):
    """A badge template of one congress: categories of this congress only; the logo checked
    by content (PNG or JPEG, 1 MB at most). Saving is `save_badge_template`'s."""

    class Meta:
        model = BadgeTemplate
        fields = ["name", "category", "size", "fields", "text_colour", "logo"]
        widgets = {"text_colour": ColourInput()}

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.congress = congress
        categories = list(
            RegistrationCategory.objects.filter(congress=congress).order_by("position", "name")
        )
        self.fields["category"] = _CategoryChoiceField(
            queryset=RegistrationCategory.objects.filter(congress=congress),
            required=False,
            label=_("Category"),
            empty_label=_("Every category without its own template"),
        )
        selected = list(self.instance.fields or BadgeTemplate.DEFAULT_FIELDS)
        self.initial["fields"] = selected  # a new template starts with the default set
        self.fields["fields"] = _OrderedFields(
            label=_("Printed fields"),
            required=False,
            initial=selected,
            help_text=_(
                "Tick what is printed; drag to change the order, or press Alt with the up or "
                "down arrow."
            ),
        )
        self.fields["fields"].choices = field_choices_in_order(
            self.data.getlist("fields") if self.is_bound else selected
        )
        self.fields["text_colour"].validators.append(colour_validator)
        self.fields["logo"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg"}
        )
        self._add_colour_fields(categories)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            check_logo(logo)
        return logo


class PreviewForm(_CategoryColours, forms.Form):
    """What the live preview needs from the editor's current (unsaved) values."""

    size = forms.ChoiceField(choices=BadgeTemplate.Size.choices)
    fields = _OrderedFields(required=False)
    text_colour = forms.CharField(required=False, validators=[colour_validator])

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_colour_fields(
            list(RegistrationCategory.objects.filter(congress=congress).order_by("position"))
        )


class RevocationForm(forms.Form):
    """Revoke a badge, or lift a revocation: which registration, and why (audited)."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_('Kept in the audit log, for example "banned: security incident".'),
    )


class LendHeadsetForm(forms.Form):
    token = forms.CharField(label=_("Badge code (scan the badge)"), max_length=64)
    headset = forms.CharField(label=_("Headset number"), max_length=20)
    phone = forms.CharField(
        label=_("Phone number (to call back a lost headset)"), max_length=40, required=False
    )
    deposit = forms.DecimalField(
        label=_("Deposit"), min_value=0, max_value=10000, decimal_places=2, required=False
    )


class ReturnHeadsetForm(forms.Form):
    headset = forms.CharField(label=_("Headset number"), max_length=20)


class _RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return localized(obj.name, obj.name_translations)


class AddCheckpointForm(forms.Form):
    """Add the entrance or a room's door: rooms of this congress without a door, by name."""

    kind = forms.ChoiceField(
        label=_("Door"),
        choices=[
            (Checkpoint.Kind.ROOM.value, Checkpoint.Kind.ROOM.label),
            (Checkpoint.Kind.ENTRANCE.value, Checkpoint.Kind.ENTRANCE.label),
        ],
        initial=Checkpoint.Kind.ROOM.value,
        widget=forms.RadioSelect,
    )
    room = _RoomChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Choose a room"),
    )

    def __init__(self, *args, congress: Congress, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress = congress
        self.fields["room"].queryset = (
            Room.objects.filter(congress=congress)
            .exclude(checkpoints__kind=Checkpoint.Kind.ROOM)
            .order_by("position", "name")
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if (
            kind == Checkpoint.Kind.ROOM
            and cleaned.get("room") is None
            and "room" not in self.errors
        ):
            self.add_error("room", _("Choose the room whose door is scanned."))
        if kind == Checkpoint.Kind.ENTRANCE:
            cleaned["room"] = None
            if Checkpoint.objects.filter(
                congress=self.congress, kind=Checkpoint.Kind.ENTRANCE
            ).exists():
                self.add_error("kind", _("The congress has an entrance checkpoint already."))
        return cleaned


class CheckpointSettingsForm(forms.Form):
    """A door's settings; "open to all" only at a session door, "active" not at a session
    door (it follows its session). A plain form: validating it changes no checkpoint."""

    is_active = forms.BooleanField(required=False)
    is_open_to_all = forms.BooleanField(required=False)
    offline_list_shows_names = forms.BooleanField(required=False)

    def __init__(self, *args, checkpoint: Checkpoint, **kwargs):
        kwargs.setdefault("initial", {name: getattr(checkpoint, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model_field = Checkpoint._meta.get_field(name)
            field.label = capfirst(model_field.verbose_name)
            field.help_text = model_field.help_text
        if checkpoint.kind == Checkpoint.Kind.SESSION:
            del self.fields["is_active"]
        else:
            del self.fields["is_open_to_all"]
