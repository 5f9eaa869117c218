from rest_framework import serializers

from common.i18n import localized
from congress.models import Congress, Track


class TrackSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = ["id", "slug", "name", "theme", "colour"]

    def get_name(self, track: Track) -> str:
        return localized(track.name, track.name_translations)


class CongressListSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Congress
        fields = [
            "slug",
            "name",
            "kind",
            "edition",
            "starts_on",
            "ends_on",
            "timezone",
            "city",
            "country",
            "working_languages",
            "currency",
        ]

    def get_name(self, congress: Congress) -> str:
        return localized(congress.name, congress.name_translations)


class CongressDetailSerializer(CongressListSerializer):
    description = serializers.SerializerMethodField()
    venue = serializers.SerializerMethodField()
    tracks = TrackSerializer(many=True, read_only=True)

    class Meta(CongressListSerializer.Meta):
        fields = [*CongressListSerializer.Meta.fields, "description", "venue", "tracks"]

    def get_description(self, congress: Congress) -> str:
        return localized(congress.description, congress.description_translations)

    def get_venue(self, congress: Congress) -> str:
        return str(congress.venue) if congress.venue else ""
