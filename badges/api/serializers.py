import re
import uuid

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
        # Registered in an online category: no printed badge, no manual check-in on site.
        "is_online": registration.category.is_online,
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


_PLAIN_SCAN_KEYS = frozenset({"token", "checkpoint", "scan_id", "direction", "device_id"})
_DIRECTIONS = frozenset(Scan.Direction.values)
# Printable ASCII with no space at either end: what the serializer's CharField would return
# unchanged (no trimming, no NUL or surrogate to refuse).
_PLAIN_TEXT = re.compile(r"(?:[!-~](?:[ -~]{0,510}[!-~])?)?")


def plain_scan_request(data) -> dict | None:
    """The validated values of the scanner's usual body (`token`, `device_id`, `scan_id`,
    `checkpoint`, `direction`, each already in its final form), read without building a
    serializer (a DRF serializer deep-copies its fields on every request: a third of a scan's
    Python time). None for anything else: CheckInRequestSerializer then decides, so a body
    is accepted or refused, with the same errors, exactly as the serializer says."""
    if not isinstance(data, dict) or not data.keys() <= _PLAIN_SCAN_KEYS:
        return None
    token = data.get("token", "")
    device_id = data.get("device_id", "")
    checkpoint = data.get("checkpoint")
    direction = data.get("direction", Scan.Direction.ENTRY.value)
    scan_id = data.get("scan_id")
    if not (
        type(token) is str
        and _PLAIN_TEXT.fullmatch(token)
        and type(device_id) is str
        and len(device_id) <= 64
        and _PLAIN_TEXT.fullmatch(device_id)
        and (checkpoint is None or type(checkpoint) is int)
        and type(direction) is str
        and direction in _DIRECTIONS
        and (scan_id is None or type(scan_id) is str)
    ):
        return None
    if scan_id is not None:
        try:
            scan_id = uuid.UUID(scan_id)
        except ValueError:
            return None
    return {
        "token": token,
        "registration": None,
        "checkpoint": checkpoint,
        "scan_id": scan_id,
        "direction": direction,
        "scanned_at": None,
        "device_id": device_id,
    }


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
