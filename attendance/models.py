"""Attendance after the congress: the closing, per-person and per-track roll-ups,
certificates, and each organisation's participation record (the membership records' view).

The tables keep their names from when these models lived in the badges and members apps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Track
from members.models import Organisation, Person
from registrations.models import Registration


class AttendanceClosure(models.Model):
    """Per congress: the organiser's certificate rule, how plenaries count, the last closing."""

    class CertificateRule(models.TextChoices):
        HOURS = "hours", _("Hours of sessions attended")
        DAYS = "days", _("Days present")
        BOTH = "both", _("Both: days present and hours of sessions")

    class PlenaryRule(models.TextChoices):
        ROOM_DOORS = "room_doors", _("Scans at the door of the plenary's room")
        ENTRANCE = "entrance", _("Everyone present at the entrance that day")
        NONE = "none", _("Plenaries do not count")

    congress = models.OneToOneField(
        Congress,
        on_delete=models.PROTECT,
        related_name="attendance_closure",
        verbose_name=_("congress"),
    )
    certificate_threshold_minutes = models.PositiveIntegerField(
        _("certificate threshold (minutes of sessions attended)"), default=180
    )
    certificate_rule = models.CharField(
        _("certificate rule"),
        max_length=10,
        choices=CertificateRule.choices,
        default=CertificateRule.HOURS,
    )
    certificate_min_days = models.PositiveSmallIntegerField(
        _("certificate threshold (days present)"), default=1
    )
    # Plenaries have no session door (no sign-up): they count through the door of their
    # room (a room checkpoint), or for everyone present at the entrance on their day, or
    # not at all (attendance.queries; overlaps as usual).
    plenary_rule = models.CharField(
        _("how plenaries count"),
        max_length=20,
        choices=PlenaryRule.choices,
        default=PlenaryRule.ROOM_DOORS,
    )
    certificates_enabled = models.BooleanField(_("certificates issued"), default=False)
    closed_at = models.DateTimeField(_("last closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last closed by"),
    )
    times_closed = models.PositiveIntegerField(_("times closed"), default=0)
    # Active member organisations of the congress's network at the last closing: the
    # denominator of the engagement trend (members present / members at the time).
    member_count = models.PositiveIntegerField(
        _("member organisations at the last closing"), default=0
    )

    class Meta:
        db_table = "badges_attendanceclosure"  # moved from the badges app; table kept
        verbose_name = _("attendance closure")
        verbose_name_plural = _("attendance closures")

    def __str__(self) -> str:
        return str(self.congress)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PersonAttendance(models.Model):
    """One registrant's attendance, computed from the scans when the congress closes."""

    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="person_attendances",
        verbose_name=_("congress"),
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("registration"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    days_present = models.PositiveSmallIntegerField(_("days present"), default=0)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0)
    trainings_attended = models.PositiveIntegerField(_("trainings attended"), default=0)
    attended_minutes = models.PositiveIntegerField(_("minutes attended"), default=0)
    training_minutes = models.PositiveIntegerField(_("training minutes"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        db_table = "badges_personattendance"  # moved from the badges app; table kept
        ordering = ["congress", "registration"]
        verbose_name = _("attendance of a person")
        verbose_name_plural = _("attendance of people")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "registration"], name="personattendance_one_per_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.congress}"

    @property
    def is_present(self) -> bool:
        return self.days_present > 0 or self.sessions_attended > 0


class TrackAttendance(models.Model):
    """Minutes one registrant spent in the sessions of one track."""

    attendance = models.ForeignKey(
        PersonAttendance,
        on_delete=models.CASCADE,
        related_name="tracks",
        verbose_name=_("attendance"),
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="+", verbose_name=_("track")
    )
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)

    class Meta:
        db_table = "badges_trackattendance"  # moved from the badges app; table kept
        ordering = ["attendance", "track"]
        verbose_name = _("attendance per track")
        verbose_name_plural = _("attendance per track")
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "track"], name="trackattendance_one_per_track"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attendance} — {self.track}"


class Certificate(models.Model):
    """A certificate of attendance. The public verification code is derived from `nonce`
    with the server's secret (see attendance.certificates); only its hash is stored."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("congress")
    )
    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("registration"),
    )
    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    verification_hash = models.CharField(_("verification hash"), max_length=64, unique=True)
    attended_minutes = models.PositiveIntegerField(_("minutes attended"), default=0)
    # What the person qualified by, printed on the certificate: the organiser's rule when it
    # was issued (empty on certificates issued before the rule was recorded: hours only),
    # days present at the entrance and minutes followed online.
    rule = models.CharField(
        _("certificate rule"),
        max_length=10,
        choices=AttendanceClosure.CertificateRule.choices,
        blank=True,
        default="",
    )
    days_present = models.PositiveSmallIntegerField(_("days present"), default=0)
    online_minutes = models.PositiveIntegerField(_("minutes followed online"), default=0)
    # [{"track_id": 1, "minutes": 90}, ...]: the figures printed on the certificate.
    tracks = models.JSONField(_("tracks"), default=list, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    updated_at = models.DateTimeField(_("updated at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        db_table = "badges_certificate"  # moved from the badges app; table kept
        ordering = ["congress", "registration"]
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self) -> str:
        return f"{_('Certificate')} #{self.pk}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class ParticipationRecord(models.Model):
    """One organisation's participation in one congress (written when the congress closes).

    Upserted by (congress, organisation): closing again after corrections replaces the figures.
    """

    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="participation_records",
        verbose_name=_("congress"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participation_records",
        verbose_name=_("organisation"),
    )
    is_member = models.BooleanField(_("member of the network at the time"), default=False)
    # Delegates registered in categories on site; those of online categories are counted
    # apart (delegates_registered_online), and delegates_online followed a session online.
    delegates_registered = models.PositiveIntegerField(_("delegates registered on site"), default=0)
    delegates_registered_online = models.PositiveIntegerField(
        _("delegates registered online"), default=0
    )
    delegates_present = models.PositiveIntegerField(_("delegates present"), default=0)
    delegates_online = models.PositiveIntegerField(_("delegates who took part online"), default=0)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0)
    trainings_attended = models.PositiveIntegerField(_("trainings attended"), default=0)
    training_minutes = models.PositiveIntegerField(_("training minutes"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["congress", "organisation"]
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")
        db_table = "members_participationrecord"  # moved from the members app; table kept
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "organisation"], name="participation_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.congress}"

    @property
    def took_part(self) -> bool:
        return self.delegates_present > 0


class OnlineVisit(models.Model):
    """One remote participant's time in one session's stream: joined through their private
    page, left (or still there). At most one open visit per registration and session, so a
    second join while the first is open records nothing new."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="+", verbose_name=_("congress")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="online_visits",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        "programme.Session",
        on_delete=models.PROTECT,
        related_name="online_visits",
        verbose_name=_("session"),
    )
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["session", "joined_at", "id"]
        verbose_name = _("online attendance")
        verbose_name_plural = _("online attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=models.Q(left_at__isnull=True),
                name="onlinevisit_one_open_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} — {self.session_id}"
