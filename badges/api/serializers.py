from rest_framework import serializers

from badges.models import Checkpoint, Scan
from registrations.models import Registration


def registration_for_staff(registration: Registration | None, badge_status: str = "") -> dict:
    """What door staff may see: the printed name, organisation unless hidden, category.

    Protected participants show only their badge name and category (no organisation,
    no legal name).
    """
    if registration is None:
        return {}
    person = registration.person
    protected = registration.is_protected
    organisation = person.organisation.name if person.organisation_id else ""
    if protected or registration.hide_organisation_on_badge:
        organisation = ""
    name = (
        registration.badge_display_name
        if protected and registration.badge_display_name
        else person.name
    )
    return {
        "id": registration.pk,
        "name": name,
        "latin_name": "" if protected else person.latin_name,
        "organisation": organisation,
        "category": registration.category.name,
        "status": registration.status,
        "badge_status": badge_status,
    }


class CheckInRequestSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True, max_length=512, default="")
    registration = serializers.IntegerField(required=False, allow_null=True, default=None)
    checkpoint = serializers.IntegerField(required=False, allow_null=True, default=None)
    scan_id = serializers.UUIDField(required=False, allow_null=True, default=None)
    direction = serializers.ChoiceField(
        choices=Scan.Direction.choices, required=False, default=Scan.Direction.ENTRY
    )
    scanned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    device_id = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class BatchScanSerializer(serializers.Serializer):
    token = serializers.CharField(allow_blank=True, max_length=512)
    checkpoint = serializers.IntegerField(required=False, allow_null=True, default=None)
    scan_id = serializers.UUIDField()
    direction = serializers.ChoiceField(
        choices=Scan.Direction.choices, required=False, default=Scan.Direction.ENTRY
    )
    scanned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    offline_result = serializers.CharField(required=False, allow_blank=True, default="")


class BatchRequestSerializer(serializers.Serializer):
    device_id = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    scans = BatchScanSerializer(many=True, allow_empty=True, max_length=500)


class CheckpointSerializer(serializers.ModelSerializer):
    inside_now = serializers.IntegerField(read_only=True)
    checked_in_today = serializers.IntegerField(read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "kind",
            "name",
            "session",
            "room",
            "is_open_to_all",
            "is_active",
            "inside_now",
            "checked_in_today",
        ]


class ScanLogSerializer(serializers.ModelSerializer):
    checkpoint = serializers.CharField(source="checkpoint.name")
    staff = serializers.CharField(source="staff.username", default="")
    registration = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = [
            "id",
            "scan_id",
            "checkpoint",
            "direction",
            "result",
            "reason",
            "device_id",
            "staff",
            "scanned_at",
            "received_at",
            "registration",
        ]

    def get_registration(self, scan: Scan) -> dict:
        registration = scan.credential.registration if scan.credential_id else None
        return registration_for_staff(registration)
