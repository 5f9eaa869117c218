import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.i18n import localized
from congress.models import Track
from members.models import Person
from sessions.exceptions import SessionFarFromCongressDates
from sessions.models import Room, Session, SessionSignup, SessionSpeaker
from sessions.queries import waitlist_position
from sessions.services import check_session_dates


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "accessibility_notes", "position"]


class SpeakerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    latin_name = serializers.CharField(source="person.latin_name")
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = SessionSpeaker
        fields = ["name", "latin_name", "organisation", "role"]

    def get_organisation(self, speaker: SessionSpeaker) -> str:
        organisation = speaker.person.organisation
        return organisation.name if organisation else ""


class TrackSummarySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = ["slug", "name", "colour"]

    def get_name(self, track: Track) -> str:
        return localized(track.name, track.name_translations)


class SessionSerializer(serializers.ModelSerializer):
    """A programme entry. Times are ISO 8601 in the congress's time zone."""

    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    track = TrackSummarySerializer(read_only=True, allow_null=True)
    room = RoomSerializer(read_only=True, allow_null=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    capacity = serializers.IntegerField(source="effective_capacity", allow_null=True)
    seats_taken = serializers.IntegerField(source="seated_count", read_only=True)
    waitlisted = serializers.IntegerField(source="waitlisted_count", read_only=True)
    speakers = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "kind",
            "status",
            "title",
            "description",
            "track",
            "room",
            "starts_at",
            "ends_at",
            "floor_language",
            "interpretation_languages",
            "capacity",
            "requires_signup",
            "seats_taken",
            "waitlisted",
            "speakers",
            "changed_after_publication_at",
        ]

    def get_title(self, session: Session) -> str:
        return localized(session.title, session.title_translations)

    def get_description(self, session: Session) -> str:
        return localized(session.description, session.description_translations)

    @extend_schema_field(serializers.DateTimeField())
    def get_starts_at(self, session: Session) -> str:
        return timezone.localtime(session.starts_at, session.congress.tzinfo).isoformat()

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, session: Session) -> str:
        return timezone.localtime(session.ends_at, session.congress.tzinfo).isoformat()

    @extend_schema_field(SpeakerSerializer(many=True))
    def get_speakers(self, session: Session) -> list[dict]:
        return [_speaker(speaker) for speaker in session.public_speakers]

    def to_representation(self, session: Session) -> dict:
        # Hand-built (same fields as declared above, which document the schema): DRF's
        # per-field machinery costs ~1 ms a row. The list endpoint serialises plain rows with
        # programme_row_data(); tests/sessions/test_api.py checks both give the same body.
        tz = session.congress.tzinfo
        track, room = session.track, session.room
        return {
            "id": session.pk,
            "kind": session.kind,
            "status": session.status,
            "title": localized(session.title, session.title_translations),
            "description": localized(session.description, session.description_translations),
            "track": None
            if track is None
            else {
                "slug": track.slug,
                "name": localized(track.name, track.name_translations),
                "colour": track.colour,
            },
            "room": None
            if room is None
            else {
                "id": room.pk,
                "name": room.name,
                "capacity": room.capacity,
                "accessibility_notes": room.accessibility_notes,
                "position": room.position,
            },
            "starts_at": timezone.localtime(session.starts_at, tz).isoformat(),
            "ends_at": timezone.localtime(session.ends_at, tz).isoformat(),
            "floor_language": session.floor_language,
            "interpretation_languages": session.interpretation_languages,
            "capacity": session.effective_capacity,
            "requires_signup": session.requires_signup,
            "seats_taken": session.seated_count,
            "waitlisted": session.waitlisted_count,
            "speakers": self.get_speakers(session),
            "changed_after_publication_at": (
                _utc_iso(session.changed_after_publication_at)
                if session.changed_after_publication_at
                else None
            ),
        }


def _speaker(speaker: SessionSpeaker) -> dict:
    person = speaker.person
    return {
        "name": person.name,
        "latin_name": person.latin_name,
        "organisation": person.organisation.name if person.organisation else "",
        "role": speaker.role,
    }


def programme_row_data(row: dict, *, tz, language: str) -> dict:
    """SessionSerializer's representation of a `programme_rows()` row with speakers attached
    (same keys and values): the list endpoint serialises whole programmes this way."""
    track = None
    if row["track_id"] is not None:
        track = {
            "slug": row["track__slug"],
            "name": localized(row["track__name"], row["track__name_translations"], language),
            "colour": row["track__colour"],
        }
    room = None
    if row["room_id"] is not None:
        room = {
            "id": row["room_id"],
            "name": row["room__name"],
            "capacity": row["room__capacity"],
            "accessibility_notes": row["room__accessibility_notes"],
            "position": row["room__position"],
        }
    changed = row["changed_after_publication_at"]
    return {
        "id": row["id"],
        "kind": row["kind"],
        "status": row["status"],
        "title": localized(row["title"], row["title_translations"], language),
        "description": localized(row["description"], row["description_translations"], language),
        "track": track,
        "room": room,
        "starts_at": row["starts_at"].astimezone(tz).isoformat(),
        "ends_at": row["ends_at"].astimezone(tz).isoformat(),
        "floor_language": row["floor_language"],
        "interpretation_languages": row["interpretation_languages"],
        "capacity": row["capacity"] if row["capacity"] is not None else row["room__capacity"],
        "requires_signup": row["requires_signup"],
        "seats_taken": row["seated_count"],
        "waitlisted": row["waitlisted_count"],
        "speakers": row["speakers"],
        "changed_after_publication_at": (_utc_iso(changed) if changed is not None else None),
    }


def _utc_iso(value) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


class SpeakerWriteSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    role = serializers.ChoiceField(
        choices=SessionSpeaker.Role.choices, default=SessionSpeaker.Role.SPEAKER
    )


class SessionWriteSerializer(serializers.ModelSerializer):
    """Staff input. Shape only: the rules (times, congress of room and track) are the
    service's; conflicts come back as `warnings`, they do not block saving."""

    track = serializers.SlugRelatedField(
        slug_field="slug", queryset=Track.objects.none(), allow_null=True, required=False
    )
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.none(), allow_null=True, required=False
    )
    speakers = SpeakerWriteSerializer(many=True, required=False)

    class Meta:
        model = Session
        fields = [
            "kind",
            "status",
            "title",
            "title_translations",
            "description",
            "description_translations",
            "track",
            "room",
            "starts_at",
            "ends_at",
            "floor_language",
            "interpretation_languages",
            "capacity",
            "requires_signup",
            "speakers",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        congress = self.context["congress"]
        self.fields["track"].queryset = Track.objects.filter(congress=congress)
        self.fields["room"].queryset = Room.objects.filter(congress=congress)

    def validate(self, attrs: dict) -> dict:
        """Times far from the congress's dates are a 400 naming the field, before saving."""
        instance = self.instance
        try:
            check_session_dates(
                congress=self.context["congress"],
                starts_at=attrs.get("starts_at", getattr(instance, "starts_at", None)),
                ends_at=attrs.get("ends_at", getattr(instance, "ends_at", None)),
            )
        except SessionFarFromCongressDates as error:
            raise serializers.ValidationError({error.field: [str(error)]}) from error
        return attrs


class SignupRequestSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=128,
        help_text="The registration's private self-service token; omit when logged in.",
    )


class SignupSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id")
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = SessionSignup
        fields = ["id", "session", "state", "created_at", "waitlist_position"]

    def get_waitlist_position(self, signup: SessionSignup) -> int | None:
        if signup.state != SessionSignup.State.WAITLISTED:
            return None
        return waitlist_position(signup=signup)


class StaffSignupSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="registration.person.name")
    category = serializers.CharField(source="registration.category.name")
    is_protected = serializers.BooleanField(source="registration.is_protected")

    class Meta:
        model = SessionSignup
        fields = ["id", "registration", "name", "category", "is_protected", "state", "created_at"]


class TimetableWarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    session_id = serializers.IntegerField()
    other_session_id = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
