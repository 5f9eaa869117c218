from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from messaging.audience import PAYMENT_STATES, SIGNUP_STATES, VISA_STATES
from messaging.models import Mailing
from registrations.models import Registration


class AudienceSerializer(serializers.Serializer):
    """Filters combine with AND; the values of one filter with OR. Ids are this congress's."""

    categories = serializers.ListField(child=serializers.IntegerField(), required=False)
    statuses = serializers.ListField(
        child=serializers.ChoiceField(choices=Registration.Status.choices), required=False
    )
    payment = serializers.ListField(
        child=serializers.ChoiceField(choices=PAYMENT_STATES), required=False
    )
    countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    regions = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=10), required=False)
    organisations = serializers.ListField(child=serializers.IntegerField(), required=False)
    delegation_heads = serializers.BooleanField(required=False, default=False)
    sessions = serializers.ListField(child=serializers.IntegerField(), required=False)
    session_states = serializers.ListField(
        child=serializers.ChoiceField(choices=SIGNUP_STATES), required=False
    )
    visa = serializers.ListField(child=serializers.ChoiceField(choices=VISA_STATES), required=False)
    speakers = serializers.BooleanField(required=False, default=False)
    reviewers = serializers.BooleanField(required=False, default=False)


class MailingCreateSerializer(serializers.Serializer):
    audience = AudienceSerializer()
    subject = serializers.DictField(
        child=serializers.CharField(max_length=200),
        help_text=_('The subject in each language: {"en": ..., "ar": ...}.'),
    )
    body = serializers.DictField(
        child=serializers.CharField(max_length=20000),
        help_text=_(
            "The text in each language; placeholders {name}, {link}, {amount_due}, {reference}."
        ),
    )
    is_about_registration = serializers.BooleanField(required=False, default=False)
    send_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class MailingCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient_count = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Mailing.Status.choices)


class MailingSerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Mailing
        fields = ["id", "status", "recipient_count", "send_at", "created_at", "counts"]

    def get_counts(self, mailing) -> dict[str, int]:
        return self.context["counts"]
