from django.conf import settings
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from common.i18n import localized
from members.models import Organisation
from registrations.models import Registration


class RegistrationCreateSerializer(serializers.Serializer):
    """Shape of a registration request; the fee and the status come from the server."""

    category = serializers.SlugField(help_text="Category code.")
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200)
    latin_name = serializers.CharField(max_length=200, required=False, default="")
    country = CountryField(required=False, default="")
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
