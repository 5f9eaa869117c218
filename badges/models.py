from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.append_only import AppendOnlyModel
from congress.models import Congress
from registrations.models import Registration
from sessions.models import Room, Session


class Credential(models.Model):
    """The badge's QR token: opaque, random, never an id or a name.

    Tokens are kept so a badge can be reprinted, but are never logged or listed in bulk.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("registration"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("revocation reason"), max_length=200, blank=True, default=""
    )

    class Meta:
        ordering = ["registration", "-issued_at"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(revoked_at__isnull=True),
                name="credential_one_active_per_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Credential')} #{self.pk}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Checkpoint(models.Model):
    class Kind(models.TextChoices):
        ENTRANCE = "entrance", _("Congress entrance")
        SESSION = "session", _("Session door")
        # A programme room's door (a plenary hall): a scan counts for the session running
        # in the room at that moment (attendance.room_doors).
        ROOM = "room", _("Room door")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="checkpoints", verbose_name=_("congress")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    session = models.OneToOneField(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoint",
        verbose_name=_("session"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkpoints",
        verbose_name=_("room"),
    )
    is_open_to_all = models.BooleanField(
        _("open to all registered participants"),
        default=False,
        help_text=_("Otherwise only people signed up for the session are let in."),
    )
    # A session door closes (is_active False) when its session is cancelled or no longer
    # requires sign-up: the row stays because check-ins and scans point at it.
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive checkpoints are hidden from the scanner and refuse scans."),
    )
    # Off by default: a phone lost at the door must not carry a list of participants' names.
    offline_list_shows_names = models.BooleanField(
        _("names in the offline list"),
        default=False,
        help_text=_(
            "Scanners keep the printed name of each badge holder for use without network. "
            "Off: offline scans show only the category."
        ),
    )

    class Meta:
        ordering = ["congress", "kind", "name"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.UniqueConstraint(
                fields=["congress"],
                condition=Q(kind="entrance"),
                name="checkpoint_one_entrance_per_congress",
            ),
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(kind="room"),
                name="checkpoint_one_door_per_room",
            ),
            # A room door names its room, and only a room door does.
            models.CheckConstraint(
                condition=Q(kind="room", room__isnull=False) | (~Q(kind="room") & Q(room=None)),
                name="checkpoint_room_only_for_room_doors",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CheckIn(models.Model):
    """One admission of a credential at a checkpoint on one congress day.

    Unique per (credential, checkpoint, day): two doors scanning the same badge at the same
    instant record one check-in. `day` is the date in the congress time zone, so that the
    entrance counts each day of a multi-day congress once.
    """

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("credential")
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("checkpoint")
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    # Set by an exit scan, cleared again by a later entry scan the same day: a row with
    # checked_out_at empty is "inside now". Every entry and exit is also in the Scan log.
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    scan_id = models.UUIDField(_("scan id"), null=True, blank=True, unique=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # A check-in on a day outside the congress's days (in its time zone), such as staff
    # trying the scanner weeks before: kept, but never counted in attendance, certificates
    # or membership records (badges.rehearsal).
    is_rehearsal = models.BooleanField(_("rehearsal"), default=False)

    class Meta:
        ordering = ["checkpoint", "checked_in_at", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "checkpoint", "day"], name="checkin_once_per_day"
            )
        ]
        indexes = [
            # "Inside now" (queries.inside_now, counted after every scan): only the open rows
            # of one checkpoint and day, however many days and exits the congress has had.
            models.Index(
                fields=["checkpoint", "day"],
                condition=models.Q(checked_out_at__isnull=True),
                name="checkin_inside_now",
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.checked_in_at:%Y-%m-%d %H:%M}"


class BadgeTemplate(models.Model):
    """How badges of a congress (optionally of one category) are laid out and printed."""

    class Size(models.TextChoices):
        A6 = "a6", _("A6 (105 x 148 mm)")
        A7 = "a7", _("A7 (74 x 105 mm)")
        CR80 = "cr80", _("CR80 card (54 x 85.6 mm)")
        A4_4 = "a4_4", _("A4 sheet of 4 (A6) with crop marks")
        A4_8 = "a4_8", _("A4 sheet of 8 (A7 landscape) with crop marks")

    class Field(models.TextChoices):
        NAME = "name", _("Name (own script)")
        LATIN_NAME = "latin_name", _("Name (Latin script)")
        ORGANISATION = "organisation", _("Organisation")
        COUNTRY = "country", _("Country")
        CATEGORY = "category", _("Category")
        ROLE = "role", _("Role")
        LANGUAGE = "language", _("Interpretation language")

    DEFAULT_FIELDS = [
        "name",
        "latin_name",
        "organisation",
        "country",
        "category",
        "language",
    ]

    congress = models.ForeignKey(
        Congress,
        on_delete=models.CASCADE,
        related_name="badge_templates",
        verbose_name=_("congress"),
    )
    category = models.ForeignKey(
        "registrations.RegistrationCategory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="badge_templates",
        verbose_name=_("category"),
        help_text=_("Empty: the template for every category without its own."),
    )
    name = models.CharField(_("name"), max_length=200)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, default=Size.A6)
    fields = models.JSONField(
        _("fields"),
        default=list,
        blank=True,
        help_text=_("Fields printed on the badge, in order; empty means the default set."),
    )
    colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        default="",
        help_text=_("Empty: the colour of the registration category."),
    )
    text_colour = models.CharField(_("text colour"), max_length=7, default="#111111")
    logo = models.FileField(
        _("logo"),
        upload_to="badges/logos/",
        blank=True,
        default="",
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("PNG or JPEG, printed in the top band."),
    )
    sheet_margin_mm = models.PositiveSmallIntegerField(
        _("printable margin of A4 sheets (mm)"),
        default=10,
        validators=[MaxValueValidator(30)],
        help_text=_(
            "Blank border kept on every side of A4 sheets, which office printers cannot "
            "print (usually 5 mm or more). The badges share the rest of the page."
        ),
    )

    class Meta:
        ordering = ["congress", "category", "name"]
        verbose_name = _("badge template")
        verbose_name_plural = _("badge templates")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "category"],
                name="badge_template_one_per_category",
            ),
            models.UniqueConstraint(
                fields=["congress"],
                condition=Q(category__isnull=True),
                name="badge_template_one_default_per_congress",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scan(AppendOnlyModel):
    """Append-only log of every scan, refused ones included.

    Never updated or deleted: the model, its querysets and database triggers refuse it
    (common.append_only). The one exception is `staff` becoming NULL when that user
    account is deleted. Nothing cascades to scans: every other link is PROTECT.
    """

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Result(models.TextChoices):
        OK = "ok", _("Admitted")
        ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
        INVALID = "invalid", _("Invalid badge")
        REVOKED = "revoked", _("Revoked badge")
        NOT_ALLOWED = "not_allowed", _("Not allowed")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="scans", verbose_name=_("congress")
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="scans", verbose_name=_("checkpoint")
    )
    credential = models.ForeignKey(
        Credential,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("credential"),
    )
    checkin = models.ForeignKey(
        CheckIn,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("check-in"),
    )
    scan_id = models.UUIDField(_("scan id"), null=True, blank=True, unique=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.ENTRY
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=40, blank=True, default="")
    device_id = models.CharField(_("device"), max_length=64, blank=True, default="")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [
            models.Index(fields=["congress", "-received_at"], name="scan_congress_received"),
            models.Index(fields=["checkpoint", "-received_at"], name="scan_checkpoint_received"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.result} {self.scanned_at:%Y-%m-%d %H:%M}"


class HeadsetLoan(models.Model):
    """An interpretation headset lent at the desk against a badge scan. Open until
    returned; one open loan per headset and per registration."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="headset_loans", verbose_name=_("congress")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="headset_loans",
        verbose_name=_("registration"),
    )
    headset = models.CharField(_("headset number"), max_length=20)
    # Asked at the desk, to call back a lost headset; cleared when the person is erased.
    phone = models.CharField(_("phone number"), max_length=40, blank=True, default="")
    deposit_minor = models.PositiveIntegerField(_("deposit (minor units)"), default=0)
    deposit_currency = models.CharField(_("deposit currency"), max_length=3, blank=True, default="")
    issued_at = models.DateTimeField(_("lent at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lent by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned to"),
    )

    class Meta:
        ordering = ["congress", "issued_at", "id"]
        verbose_name = _("headset loan")
        verbose_name_plural = _("headset loans")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "headset"],
                condition=Q(returned_at__isnull=True),
                name="headsetloan_one_open_per_headset",
            ),
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(returned_at__isnull=True),
                name="headsetloan_one_open_per_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.headset} ({self.congress_id})"
