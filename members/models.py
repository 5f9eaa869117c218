from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        BAR_ASSOCIATION = "bar_association", _("Bar association")
        PARLIAMENTARIANS_NETWORK = "parliamentarians_network", _("Parliamentarians' network")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        UNION = "union", _("Union")
        UNIVERSITY = "university", _("University")
        MEDIA = "media", _("Media")
        INSTITUTION = "institution", _("Institution")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, default="")
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices, default=Kind.NGO)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True, default="")
    # Verified membership (issue 13): a registrant using one of these e-mail domains is
    # taken to belong to the organisation; otherwise `contact_email` is asked to confirm.
    email_domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        blank=True,
        help_text=_('Domains of the organisation\'s e-mail addresses, e.g. ["example.org"].'),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        default="",
        help_text=_("Confirms that a registrant belongs to the organisation."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="members_organisation_unique_name_country"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    class Scope(models.TextChoices):
        WORLD = "world", _("World")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("network")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["network", "organisation"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"],
                condition=Q(status="active"),
                name="members_membership_one_active_per_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.network}"


class Person(models.Model):
    """Someone who registers, speaks, reviews or attends.

    `name` is written in the person's own script (Arabic, Cyrillic, CJK ...);
    `latin_name` is its Latin-script form, used for sorting and by door staff.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name (own script)"), max_length=200)
    latin_name = models.CharField(_("name (Latin script)"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="", db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    country = CountryField(_("country"), blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when personal data was erased or anonymised (retention or a request); the row
    # stays so that aggregate attendance figures keep counting it.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["latin_name", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # Registrations find a person by address, case-insensitively
            # (registrations.queries.person_by_email): without it, every registration
            # read the whole table under its e-mail lock.
            models.Index(Upper("email"), name="members_person_email_upper"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sort_name(self) -> str:
        return self.latin_name or self.name


class NetworkAdministrator(models.Model):
    """A network's administrator: creates its congresses, manages member organisations,
    memberships and the network's staff, without being a superuser."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="administrators",
        verbose_name=_("network"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_administrations",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["network", "user"]
        verbose_name = _("network administrator")
        verbose_name_plural = _("network administrators")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"], name="members_networkadministrator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.network}"
