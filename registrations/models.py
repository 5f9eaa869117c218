from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Congress
from members.models import Person


class RegistrationCategory(models.Model):
    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        DELEGATE = "delegate", _("Member-organisation delegate")
        SPEAKER = "speaker", _("Speaker")
        PRESS = "press", _("Press")
        OBSERVER = "observer", _("Observer")
        STAFF = "staff", _("Staff")
        VOLUNTEER = "volunteer", _("Volunteer")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="categories", verbose_name=_("congress")
    )
    code = models.SlugField(_("code"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    colour = models.CharField(_("badge colour"), max_length=7, default="#1f6f8b")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["congress", "position", "name"]
        verbose_name = _("registration category")
        verbose_name_plural = _("registration categories")
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Pending payment")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    class ListVisibility(models.TextChoices):
        # Default is NOWHERE: nobody appears in a list without saying so.
        NOWHERE = "nowhere", _("Do not list me anywhere")
        PARTICIPANTS = "participants", _("List me only to other participants")
        PUBLIC = "public", _("List me in the public participants' list")

    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("congress"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("category"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT
    )
    list_visibility = models.CharField(
        _("participants' list"),
        max_length=20,
        choices=ListVisibility.choices,
        default=ListVisibility.NOWHERE,
    )
    is_protected = models.BooleanField(
        _("protected participant"),
        default=False,
        help_text=_(
            "Left out of every list, export and report showing individuals, except for the "
            "organisers who need it."
        ),
    )
    badge_display_name = models.CharField(
        _("name shown on the badge"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("For protected participants: a chosen name instead of the legal name."),
    )
    hide_organisation_on_badge = models.BooleanField(
        _("hide the organisation on the badge"), default=False
    )
    # SHA-256 of the private self-service link's token; the token itself is never stored.
    access_token_hash = models.CharField(
        _("access token hash"), max_length=64, blank=True, default="", db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["congress", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"],
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="registration_one_active_per_person",
            )
        ]
        indexes = [models.Index(fields=["congress", "status"], name="registration_congress_status")]

    def __str__(self) -> str:
        return f"{self.person} — {self.congress}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED
