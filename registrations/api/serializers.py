import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django_countries import countries
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from common.i18n import localized
from members.models import Organisation
from registrations.models import Registration


class CountryCodeField(CountryField):
    """django-countries' serializer field, its choices made once per language: the field
    translates and sorts every country each time a serializer is made (a third of a
    registration's validation time)."""

    _made: dict = {}

    def _set_choices(self, choices):
        key = (get_language(), id(choices))
        made = self._made.get(key)
        if made is None:
            super()._set_choices(choices)
            made = self._made[key] = (
                self.grouped_choices,
                self._choices,
                self.choice_strings_to_values,
            )
        self.grouped_choices, self._choices, self.choice_strings_to_values = made

    choices = property(CountryField._get_choices, _set_choices)


class RegistrationCreateSerializer(serializers.Serializer):
    """Shape of a registration request; the fee and the status come from the server."""

    category = serializers.SlugField(help_text="Category code.")
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200)
    latin_name = serializers.CharField(max_length=200, required=False, default="")
    country = CountryCodeField(required=False, default="")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    organisation_name = serializers.CharField(max_length=200, required=False, default="")
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], required=False, default="en"
    )
    answers = serializers.DictField(
        required=False,
        default=dict,
        help_text=(
            "Answers to the registration questions of the chosen category: question code -> "
            "text (short text: 500 characters at most, long text: 2,000), a choice's value, a "
            "date as YYYY-MM-DD, or true/false. Required questions must be answered; unknown "
            "codes, lists and objects are refused (400, code `invalid_answers`, with the "
            "problems per question code under `answers`), exactly as on the registration form."
        ),
    )
    voucher_code = serializers.CharField(max_length=40, required=False, default="")
    access_code = serializers.CharField(
        max_length=40,
        required=False,
        default="",
        help_text="The access code of a hidden category (given by the organisers).",
    )
    invitation = serializers.CharField(
        max_length=128,
        required=False,
        default="",
        help_text=(
            "The token of a personal invitation link (the last part of the link), for an "
            "invitation-only category; it works once."
        ),
    )
    payment_method = serializers.ChoiceField(
        choices=[Registration.PaymentMethod.CARD, Registration.PaymentMethod.TRANSFER],
        required=False,
        default=Registration.PaymentMethod.TRANSFER,
    )
    list_visibility = serializers.ChoiceField(
        choices=Registration.ListVisibility.choices,
        required=False,
        default=Registration.ListVisibility.NOWHERE,
    )


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
# Optional text fields of a registration request and their max_length.
_PLAIN_OPTIONAL_TEXT = {
    "latin_name": 200,
    "organisation_name": 200,
    "voucher_code": 40,
    "access_code": 40,
    "invitation": 128,
}
_PLAIN_CHOICES = {
    "language": frozenset(code for code, _name in settings.LANGUAGES),
    "payment_method": frozenset(
        {Registration.PaymentMethod.CARD.value, Registration.PaymentMethod.TRANSFER.value}
    ),
    "list_visibility": frozenset(Registration.ListVisibility.values),
}
_PLAIN_KEYS = frozenset(
    {"category", "email", "name", "country", "answers", *_PLAIN_OPTIONAL_TEXT, *_PLAIN_CHOICES}
)


def _plain_text(value, max_length: int) -> bool:
    """What a CharField returns unchanged: a non-empty str, nothing to trim, no NUL, no
    unpaired surrogate, no control character, within max_length."""
    return (
        type(value) is str
        and 0 < len(value) <= max_length
        and value.isprintable()
        and value.strip() == value
    )


def plain_registration_request(data) -> dict | None:
    """RegistrationCreateSerializer's validated data for a usual registration body, read
    without building the serializer (which deep-copies its thirteen fields on every request:
    a sixth of a registration's Python time). None for anything else (an organisation id,
    answers that are not an object with text keys, text to trim, a country given by name,
    an unknown key or value): the serializer then decides, so a body is accepted or refused,
    with the same errors, exactly as it says (tests/registrations/test_plain_request.py)."""
    if type(data) is not dict or not data.keys() <= _PLAIN_KEYS:
        return None
    category, email, name = data.get("category"), data.get("email"), data.get("name")
    if not (
        type(category) is str
        and _SLUG.fullmatch(category)
        and _plain_text(email, 254)
        and _plain_text(name, 200)
    ):
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    values = {
        "category": category,
        "email": email,
        "name": name,
        "latin_name": "",
        "country": "",
        "organisation": None,
        "organisation_name": "",
        "language": "en",
        "answers": {},
        "voucher_code": "",
        "access_code": "",
        "invitation": "",
        "payment_method": Registration.PaymentMethod.TRANSFER.value,
        "list_visibility": Registration.ListVisibility.NOWHERE.value,
    }
    for key, max_length in _PLAIN_OPTIONAL_TEXT.items():
        if key in data:
            if not _plain_text(data[key], max_length):
                return None
            values[key] = data[key]
    for key, allowed in _PLAIN_CHOICES.items():
        if key in data:
            if type(data[key]) is not str or data[key] not in allowed:
                return None
            values[key] = data[key]
    if "country" in data:
        country = data["country"]
        code = countries.alpha2(country) if type(country) is str and country else None
        if not code:
            return None
        values["country"] = code
    if "answers" in data:
        answers = data["answers"]
        if type(answers) is not dict or not all(type(key) is str for key in answers):
            return None
        values["answers"] = dict(answers)
    return values


class RegistrationCreatedSerializer(serializers.ModelSerializer):
    checkout_url = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "status",
            "amount_due_minor",
            "currency",
            "fee_reasons",
            "payment_method",
            "payment_reference",
            "checkout_url",
        ]


def created_body(registration: Registration) -> dict:
    """RegistrationCreatedSerializer's answer, built without it (a registration rush serves
    many of these; the serializer stays the schema): the same keys, in the same order."""
    return {
        "id": registration.pk,
        "status": registration.status,
        "amount_due_minor": registration.amount_due_minor,
        "currency": registration.currency,
        "fee_reasons": list(registration.fee_reasons),
        "payment_method": registration.payment_method,
        "payment_reference": registration.payment_reference,
    }


class StaffRegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    latin_name = serializers.CharField(source="person.latin_name")
    email = serializers.EmailField(source="person.email")
    organisation = serializers.SerializerMethodField()
    country = serializers.CharField(source="person.country.code")
    category = serializers.CharField(source="category.code")
    category_name = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "latin_name",
            "email",
            "organisation",
            "country",
            "category",
            "category_name",
            "status",
            "amount_due_minor",
            "amount_paid_minor",
            "currency",
            "payment_method",
            "payment_reference",
            "is_protected",
            "created_at",
        ]

    def get_organisation(self, registration: Registration) -> str:
        organisation = registration.person.organisation
        return organisation.name if organisation else ""

    def get_category_name(self, registration: Registration) -> str:
        return localized(registration.category.name, registration.category.name_translations)


class MoveSerializer(serializers.Serializer):
    category = serializers.SlugField()


class MarkPaidSerializer(serializers.Serializer):
    amount_minor = serializers.IntegerField(min_value=1, required=False)


class ActionSerializer(serializers.Serializer):
    """Body of an organiser action: `category` for move, `amount_minor` for mark-paid."""

    category = serializers.SlugField(required=False)
    amount_minor = serializers.IntegerField(min_value=1, required=False)


def in_each_language(canonical: str, translations: dict | None) -> dict[str, str]:
    """{"en": ..., "fr": ..., "ar": ...}: the text in every interface language (the
    canonical text where no translation is given)."""
    return {code: localized(canonical, translations, code) for code, _name in settings.LANGUAGES}


class FeeSerializer(serializers.Serializer):
    amount_minor = serializers.IntegerField()
    currency = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="Machine codes: standard, early_bird, member_rate, country_group, "
        "voucher_fixed, voucher_percent, waiver, no_fee.",
    )
    reason_labels = serializers.ListField(child=serializers.CharField())
    member_amount_minor = serializers.IntegerField(
        allow_null=True,
        help_text="For a member organisation whose membership is not verified yet (the "
        "e-mail address is not at one of its domains): the fee once verified.",
    )


class PublicCategorySerializer(serializers.Serializer):
    code = serializers.SlugField()
    kind = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    names = serializers.DictField(child=serializers.CharField(), help_text="Per language code.")
    requires_approval = serializers.BooleanField()
    capacity = serializers.IntegerField(allow_null=True)
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    fee = FeeSerializer()


class QuestionChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())


class RegistrationQuestionSerializer(serializers.Serializer):
    code = serializers.SlugField(help_text="The key of the answer in `answers`.")
    kind = serializers.ChoiceField(choices=["text", "long_text", "choice", "date", "boolean"])
    label = serializers.CharField(help_text="In the request's language.")
    labels = serializers.DictField(child=serializers.CharField(), help_text="Per language code.")
    is_required = serializers.BooleanField()
    max_length = serializers.IntegerField(allow_null=True)
    categories = serializers.ListField(
        child=serializers.SlugField(),
        help_text="Codes of the categories asking it; empty: every category.",
    )
    choices = QuestionChoiceSerializer(many=True)


def category_row(category, fee) -> dict:
    return {
        "code": category.code,
        "kind": category.kind,
        "name": localized(category.name, category.name_translations),
        "names": in_each_language(category.name, category.name_translations),
        "requires_approval": category.requires_approval,
        "capacity": category.capacity,
        "opens_at": category.opens_at,
        "closes_at": category.closes_at,
        "fee": {
            "amount_minor": fee.amount_minor,
            "currency": fee.currency,
            "reasons": fee.reasons,
            "reason_labels": fee.reason_labels,
            "member_amount_minor": fee.member_amount_minor,
        },
    }


def question_row(question) -> dict:
    from registrations.services.answers import MAX_ANSWER_LENGTH

    return {
        "code": question.code,
        "kind": question.kind,
        "label": localized(question.label, question.label_translations),
        "labels": in_each_language(question.label, question.label_translations),
        "is_required": question.is_required,
        "max_length": MAX_ANSWER_LENGTH.get(question.kind),
        "categories": [category.code for category in question.categories.all()],
        "choices": [
            {
                "value": str(item.get("value", "")),
                "label": localized(item.get("label", ""), item.get("translations")),
                "labels": in_each_language(item.get("label", ""), item.get("translations")),
            }
            for item in question.choices
        ],
    }


class FeeQuoteParamsSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2, required=False, default="")
    organisation = serializers.IntegerField(required=False, default=None, allow_null=True)
    voucher = serializers.CharField(max_length=40, required=False, default="")
    email = serializers.EmailField(max_length=254, required=False, default="")
    access_code = serializers.CharField(max_length=40, required=False, default="")
