"""Calls for participation: calls, questions, submissions, review and decisions.

The tables keep their names from when these models lived in the congress app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.storage import get_private_file_storage
from congress.models import Congress, Track, validate_language_list
from members.models import Organisation, Person


class SubmissionType(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop proposal")
    PANEL = "panel", _("Panel")
    TRAINING = "training", _("Training")
    TESTIMONY = "testimony", _("Testimony")
    SIDE_EVENT = "side_event", _("Side event")
    POSTER = "poster", _("Poster")


def validate_submission_types(value: list) -> None:
    if (
        not isinstance(value, list)
        or not value
        or any(v not in SubmissionType.values for v in value)
    ):
        raise ValidationError(
            _("Choose one or more submission types among: %(types)s."),
            params={"types": ", ".join(SubmissionType.values)},
            code="submission_types",
        )


class CallForParticipation(models.Model):
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="calls", verbose_name=_("congress")
    )
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    title_translations = models.JSONField(_("title translations"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    description_translations = models.JSONField(
        _("description translations"), default=dict, blank=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    submission_types = models.JSONField(
        _("submission types"), default=list, validators=[validate_submission_types]
    )
    tracks = models.ManyToManyField(
        Track,
        blank=True,
        related_name="calls",
        verbose_name=_("tracks"),
        help_text=_("Tracks a submission may target; none means the call has no tracks."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[validate_language_list],
        help_text=_("Languages a session may be given in."),
    )
    word_limit = models.PositiveIntegerField(_("word limit of the abstract"), default=300)
    is_anonymised = models.BooleanField(
        _("anonymised review"),
        default=True,
        help_text=_("Reviewers do not see names and organisations of submitters."),
    )
    score_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    score_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews per submission"), default=2
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "congress_callforparticipation"  # moved from the congress app; table kept
        ordering = ["congress", "opens_at", "title"]
        verbose_name = _("call for participation")
        verbose_name_plural = _("calls for participation")
        constraints = [
            models.UniqueConstraint(fields=["congress", "slug"], name="cfp_call_unique_slug"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="cfp_call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="cfp_call_score_scale"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_submission__gte=1), name="cfp_call_reviews_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment) -> bool:
        """Open from `opens_at` (inclusive) up to `closes_at` (exclusive)."""
        return self.opens_at <= moment < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("Choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        YES_NO = "yes_no", _("Yes / no")
        FILE = "file", _("File upload (PDF, DOCX, ODT or text)")

    call = models.ForeignKey(
        CallForParticipation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("call"),
    )
    label = models.CharField(_("question"), max_length=300)
    label_translations = models.JSONField(_("question translations"), default=dict, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True, default="")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # For choice questions: [{"value": "...", "label": "...", "label_translations": {...}}].
    choices = models.JSONField(_("choices"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    is_identifying = models.BooleanField(
        _("identifies the submitter"),
        default=False,
        help_text=_("Hidden from reviewers when the call is anonymised (a CV, for example)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "congress_question"  # moved from the congress app; table kept
        ordering = ["call", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def choice_values(self) -> list[str]:
        return [str(choice.get("value", "")) for choice in self.choices or []]


class Submission(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAITLISTED = "waitlisted", _("Waitlisted")

    DECISIONS = (Status.ACCEPTED, Status.REJECTED, Status.WAITLISTED)

    call = models.ForeignKey(
        CallForParticipation,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("call"),
    )
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("congress")
    )
    submitter = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("submitter")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("organisation (not listed)"), max_length=200, blank=True, default=""
    )
    submission_type = models.CharField(
        _("submission type"), max_length=20, choices=SubmissionType.choices
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("track"),
    )
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # SHA-256 of the submitter's private link token; the token itself is never stored.
    access_token_hash = models.CharField(
        _("access token hash"), max_length=64, blank=True, default="", db_index=True
    )
    # The programme session made from this submission while it is accepted
    # (cfp.services.programme keeps it in step with the decision). No reverse accessor:
    # the programme knows nothing of calls for participation.
    programme_session = models.ForeignKey(
        "programme.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme session"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_email_sent_at = models.DateTimeField(
        _("decision e-mail sent at"), null=True, blank=True
    )

    class Meta:
        db_table = "congress_submission"  # moved from the congress app; table kept
        ordering = ["call", "submitted_at", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["call", "status"], name="cfp_submission_call_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECISIONS


class SubmissionCoAuthor(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="co_authors",
        verbose_name=_("submission"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="co_authored_submissions",
        verbose_name=_("person"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "congress_submissioncoauthor"  # moved from the congress app; table kept
        ordering = ["submission", "position", "id"]
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "person"], name="cfp_coauthor_unique_person"
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class SubmissionFile(models.Model):
    """An uploaded file, checked on its content (magic bytes), stored outside the web root."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
        ODT = "application/vnd.oasis.opendocument.text", "ODT"
        TEXT = "text/plain", _("Plain text")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), storage=get_private_file_storage, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        db_table = "congress_submissionfile"  # moved from the congress app; table kept
        ordering = ["submission", "uploaded_at", "id"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.original_name


class Answer(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="answers", verbose_name=_("submission")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    # Text, list of choice values, or a boolean, depending on the question's type.
    value = models.JSONField(_("value"), default=None, null=True, blank=True)
    file = models.ForeignKey(
        SubmissionFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("file"),
    )

    class Meta:
        db_table = "congress_answer"  # moved from the congress app; table kept
        ordering = ["submission", "question__position", "question_id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="cfp_answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


class ReviewerInvitation(models.Model):
    """A reviewer invited to a call, for some tracks (none: every track)."""

    call = models.ForeignKey(
        CallForParticipation,
        on_delete=models.CASCADE,
        related_name="reviewer_invitations",
        verbose_name=_("call"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_invitations",
        verbose_name=_("reviewer"),
    )
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="reviewer_invitations", verbose_name=_("tracks")
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        db_table = "congress_reviewerinvitation"  # moved from the congress app; table kept
        ordering = ["call", "invited_at", "id"]
        verbose_name = _("reviewer invitation")
        verbose_name_plural = _("reviewer invitations")
        constraints = [
            models.UniqueConstraint(fields=["call", "reviewer"], name="cfp_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.call}"


class ReviewAssignment(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("submission"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    is_automatic = models.BooleanField(_("assigned automatically"), default=False)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        db_table = "congress_reviewassignment"  # moved from the congress app; table kept
        ordering = ["submission", "created_at", "id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="cfp_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission_id}"


class ConflictOfInterest(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=_("submission"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="declared_conflicts",
        verbose_name=_("reviewer"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        db_table = "congress_conflictofinterest"  # moved from the congress app; table kept
        ordering = ["submission", "declared_at", "id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="cfp_conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.submission_id}"


class Review(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("submission")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cfp_reviews",
        verbose_name=_("reviewer"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment_for_committee = models.TextField(_("comment for the committee"), blank=True, default="")
    comment_for_submitter = models.TextField(
        _("comment for the submitter (optional)"), blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "congress_review"  # moved from the congress app; table kept
        ordering = ["submission", "created_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="cfp_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.score}"


class DecisionEmailTemplate(models.Model):
    """The decision e-mail for one decision in one language.

    Placeholders: {name}, {title}, {congress}, {call}, {link}, {comments}.
    """

    call = models.ForeignKey(
        CallForParticipation,
        on_delete=models.CASCADE,
        related_name="decision_templates",
        verbose_name=_("call"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=[
            (value, label)
            for value, label in Submission.Status.choices
            if value in Submission.DECISIONS
        ],
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        db_table = "congress_decisionemailtemplate"  # moved from the congress app; table kept
        ordering = ["call", "decision", "language"]
        verbose_name = _("decision e-mail template")
        verbose_name_plural = _("decision e-mail templates")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "decision", "language"], name="cfp_decision_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.decision} — {self.language}"
