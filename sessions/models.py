from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.models import Congress, Track
from members.models import Person
from registrations.models import Registration


class Room(models.Model):
    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("congress")
    )
    name = models.CharField(_("name"), max_length=200)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["congress", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="room_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        PANEL = "panel", _("Panel")
        SIDE_EVENT = "side_event", _("Side event")
        BREAK = "break", _("Break")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("congress")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("track"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("title"), max_length=300)
    title_translations = models.JSONField(_("title translations"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    description_translations = models.JSONField(
        _("description translations"), default=dict, blank=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    floor_language = models.CharField(_("floor language"), max_length=10, default="en")
    interpretation_languages = models.JSONField(
        _("interpretation languages"), default=list, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Empty means the room's capacity."),
    )
    requires_signup = models.BooleanField(_("sign-up required"), default=False)
    # Remote participation: the live stream or video call. Shown only to confirmed
    # participants, through their private page (attendance.views.online_sessions).
    stream_url = models.URLField(
        _("stream link"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Shown only to confirmed participants, on their private page."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set when a published session is changed, so participants see that it moved.
    changed_after_publication_at = models.DateTimeField(
        _("changed after publication at"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["congress", "starts_at", "room", "title"]
        verbose_name = pgettext_lazy("programme slot", "session")
        verbose_name_plural = pgettext_lazy("programme slot", "sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["congress", "starts_at"], name="session_congress_start")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("A session cannot end before it starts.")}, code="ends_before_start"
            )

    @property
    def effective_capacity(self) -> int | None:
        """Seats for sign-up: the session's own capacity, else its room's, else unlimited."""
        if self.capacity is not None:
            return self.capacity
        if self.room_id is not None:
            return self.room.capacity
        return None

    @property
    def languages(self) -> list[str]:
        return [self.floor_language, *self.interpretation_languages]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class SessionSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="speaking_at", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"], name="sessionspeaker_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class SessionSignup(models.Model):
    class State(models.TextChoices):
        SEATED = "seated", _("Seated")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="signups", verbose_name=_("session")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="session_signups",
        verbose_name=_("registration"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    seated_at = models.DateTimeField(_("seated at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        verbose_name = _("session sign-up")
        verbose_name_plural = _("session sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"],
                condition=~Q(state="cancelled"),
                name="signup_one_active_per_session",
            )
        ]
        indexes = [models.Index(fields=["session", "state"], name="signup_session_state")]

    def __str__(self) -> str:
        return f"{self.registration} → {self.session}"


class InterpretationChannel(models.Model):
    """A language on an interpretation channel (the number dialled on the headset), for a
    whole room or for one session (a session's own channels replace its room's)."""

    congress = models.ForeignKey(
        Congress,
        on_delete=models.CASCADE,
        related_name="interpretation_channels",
        verbose_name=_("congress"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interpretation_channels",
        verbose_name=_("room"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interpretation_channels",
        verbose_name=pgettext_lazy("programme slot", "session"),
    )
    language = models.CharField(_("language"), max_length=10)
    channel = models.PositiveSmallIntegerField(_("channel"))

    class Meta:
        ordering = ["congress", "channel"]
        verbose_name = _("interpretation channel")
        verbose_name_plural = _("interpretation channels")
        constraints = [
            models.CheckConstraint(
                condition=(Q(room__isnull=False) & Q(session__isnull=True))
                | (Q(room__isnull=True) & Q(session__isnull=False)),
                name="interpretationchannel_room_or_session",
            ),
            models.UniqueConstraint(
                fields=["room", "channel"],
                condition=Q(room__isnull=False),
                name="interpretationchannel_one_per_room_channel",
            ),
            models.UniqueConstraint(
                fields=["session", "channel"],
                condition=Q(session__isnull=False),
                name="interpretationchannel_one_per_session_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.channel}"
