from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Congress
from registrations.models import Registration
from sessions.models import Session


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
    is_open_to_all = models.BooleanField(
        _("open to all registered participants"),
        default=False,
        help_text=_("Otherwise only people signed up for the session are let in."),
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
            )
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

    class Meta:
        ordering = ["checkpoint", "checked_in_at", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "checkpoint", "day"], name="checkin_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.checked_in_at:%Y-%m-%d %H:%M}"


from badges.attendance_models import *  # noqa: E402,F403  (attendance roll-up models)
