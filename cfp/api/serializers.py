from rest_framework import serializers

from cfp.models import Review, Submission, SubmissionType
from members.models import Organisation


class PersonInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    latin_name = serializers.CharField(max_length=200, required=False, default="")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    organisation_name = serializers.CharField(max_length=200, required=False, default="")
    country = serializers.CharField(max_length=2, required=False, default="")


class CoAuthorInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, default="")


class SubmissionCreateSerializer(serializers.Serializer):
    """Answer a call. `call` is the call's slug; it may be left out when one call is open.
    `answers` maps question ids to values (text, choice value, list of values, true/false);
    file questions are answered through the web form."""

    call = serializers.SlugField(required=False)
    submitter = PersonInSerializer()
    submission_type = serializers.ChoiceField(choices=SubmissionType.choices)
    track = serializers.IntegerField(required=False, allow_null=True, default=None)
    language = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=300)
    abstract = serializers.CharField()
    co_authors = CoAuthorInSerializer(many=True, required=False, default=list)
    answers = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)


class SubmissionCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    private_link = serializers.CharField()


class SubmissionStaffSerializer(serializers.ModelSerializer):
    """For organisers: everything but contact data."""

    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    submitter = serializers.CharField(source="submitter.name")
    organisation = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    co_authors = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "call",
            "submission_type",
            "track",
            "language",
            "title",
            "abstract",
            "status",
            "submitter",
            "organisation",
            "country",
            "co_authors",
            "submitted_at",
            "decided_at",
        ]

    def get_organisation(self, submission: Submission) -> str:
        if submission.organisation:
            return submission.organisation.name
        return submission.organisation_name

    def get_country(self, submission: Submission) -> str:
        return str(submission.submitter.country or "")

    def get_co_authors(self, submission: Submission) -> list[str]:
        return [link.person.name for link in submission.co_authors.all()]


class SubmissionReviewerSerializer(SubmissionStaffSerializer):
    """For reviewers: no contact data; names and organisations hidden when anonymised."""

    def to_representation(self, submission: Submission) -> dict:
        data = super().to_representation(submission)
        if submission.call.is_anonymised:
            data["submitter"] = None
            data["organisation"] = None
            data["co_authors"] = []
        return data


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.get_username")

    class Meta:
        model = Review
        fields = [
            "id",
            "submission",
            "reviewer",
            "score",
            "comment_for_committee",
            "comment_for_submitter",
            "created_at",
            "updated_at",
        ]
