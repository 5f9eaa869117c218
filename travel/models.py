"""Travel support: grant applications, donor budgets and awards, reimbursements,
accommodation and airport transfers.

Amounts are integers in the minor unit of their currency (an application's estimates in the
applicant's currency; awards and claims in their budget line's currency).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.storage import get_private_file_storage
from congress.models import Congress
from registrations.models import Registration, RegistrationCategory


class CostType(models.TextChoices):
    FLIGHT = "flight", _("Flight")
    VISA_FEES = "visa_fees", _("Visa fees")
    ACCOMMODATION = "accommodation", _("Accommodation nights")
    PER_DIEM = "per_diem", _("Per diem")
    REGISTRATION_FEE = "registration_fee", _("Registration fee")


class Gender(models.TextChoices):
    NOT_GIVEN = "", _("I prefer not to say")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")


class GrantProgramme(models.Model):
    """A congress's travel grant settings: open or not, the deadline, the introduction."""

    congress = models.OneToOneField(
        Congress, on_delete=models.CASCADE, related_name="grant_programme"
    )
    is_open = models.BooleanField(_("applications open"), default=False)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    introduction = models.TextField(_("introduction"), blank=True, default="")
    introduction_translations = models.JSONField(
        _("introduction translations"), default=dict, blank=True
    )

    class Meta:
        verbose_name = _("travel grant programme")
        verbose_name_plural = _("travel grant programmes")

    def __str__(self) -> str:
        return str(self.congress)


class GrantQuestion(models.Model):
    """An organiser's question on the grant application form (a free-text answer)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="grant_questions")
    label = models.CharField(_("question"), max_length=300)
    label_translations = models.JSONField(_("question translations"), default=dict, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["congress", "position", "pk"]
        verbose_name = _("grant question")
        verbose_name_plural = _("grant questions")

    def __str__(self) -> str:
        return self.label


class GrantApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        AWARDED = "awarded", _("Awarded")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="grant_applications"
    )
    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="grant_application"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    currency = models.CharField(_("currency of the estimates"), max_length=3)
    motivation = models.TextField(_("motivation"), max_length=3000)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    decision_note = models.TextField(_("decision note"), blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["congress", "created_at", "pk"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="grant_application_currency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.person} ({self.congress})"


class GrantRequestItem(models.Model):
    """What an applicant asks for, per cost type, in their own currency."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="items"
    )
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount_minor = models.PositiveIntegerField(_("estimated amount (minor units)"))
    nights = models.PositiveSmallIntegerField(_("nights"), default=0)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "cost_type"], name="grant_item_one_per_cost_type"
            )
        ]

    def __str__(self) -> str:
        return self.get_cost_type_display()


class GrantReview(models.Model):
    """A committee member's score (1-5) and note on an application."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_reviews"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True, default="", max_length=2000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="grant_review_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="grant_review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.score}"


class Donor(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="donors")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="donor_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Money a donor gives for travel support, optionally restricted; never overspent."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="lines")
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    total_minor = models.PositiveIntegerField(_("total (minor units)"))
    # Restrictions; empty means any. Regions are UN M49 codes (common.regions).
    regions = models.JSONField(_("regions"), default=list, blank=True)
    cost_types = models.JSONField(_("cost types"), default=list, blank=True)
    categories = models.ManyToManyField(
        RegistrationCategory, blank=True, related_name="+", verbose_name=_("categories")
    )

    class Meta:
        ordering = ["donor", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="budget_line_currency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor} · {self.name}"


class Award(models.Model):
    """Money granted to one application for one cost type, drawn on one budget line."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.PROTECT, related_name="awards"
    )
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="awards")
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    amount_minor = models.PositiveIntegerField(_("amount (minor units)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="award_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_cost_type_display()} {self.amount_minor}"


class Reimbursement(models.Model):
    """A claim against an award, with its receipt; approved, then paid."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CASH = "cash", _("Cash at the congress")
        MOBILE_MONEY = "mobile_money", _("Mobile money")
        OTHER = "other", _("Other")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="reimbursements")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    claimed_minor = models.PositiveIntegerField(_("claimed (minor units)"))
    description = models.CharField(_("what it was for"), max_length=300, blank=True, default="")
    receipt = models.FileField(
        _("receipt"), storage=get_private_file_storage, max_length=255, blank=True
    )
    receipt_content_type = models.CharField(max_length=100, blank=True, default="")
    approved_minor = models.PositiveIntegerField(_("approved (minor units)"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_method = models.CharField(
        _("paid by"), max_length=20, choices=Method.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        ordering = ["award", "pk"]
        verbose_name = _("reimbursement")
        verbose_name_plural = _("reimbursements")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_minor__lte=F("claimed_minor")),
                name="reimbursement_approved_within_claim",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.claimed_minor}"


class Hotel(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="hotels")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("hotel")
        verbose_name_plural = _("hotels")

    def __str__(self) -> str:
        return self.name


class RoomType(models.Model):
    """A block of identical rooms held at a hotel for a range of nights."""

    hotel = models.ForeignKey(Hotel, on_delete=models.CASCADE, related_name="room_types")
    name = models.CharField(_("name"), max_length=100)
    beds = models.PositiveSmallIntegerField(_("people per room"), default=1)
    rooms = models.PositiveSmallIntegerField(_("rooms held"))
    price_per_night_minor = models.PositiveIntegerField(_("price per room and night"))
    first_night = models.DateField(_("first night"))
    last_night = models.DateField(_("last night"))

    class Meta:
        ordering = ["hotel", "name"]
        verbose_name = _("room type")
        verbose_name_plural = _("room types")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_night__gte=F("first_night")), name="room_type_nights_in_order"
            ),
            models.CheckConstraint(
                condition=Q(beds__gte=1, beds__lte=6), name="room_type_beds_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hotel} · {self.name}"


class AccommodationRequest(models.Model):
    """A participant's stay: nights, and whether and with whom they would share a room."""

    class Sharing(models.TextChoices):
        ALONE = "alone", _("A room of my own")
        SAME_GENDER = "same_gender", _("Share with someone of my gender")
        ANYONE = "anyone", _("Share with anyone")
        NAMED = "named", _("Share with a person I name")

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="accommodation_request"
    )
    first_night = models.DateField(_("first night"))
    last_night = models.DateField(_("last night"))
    sharing = models.CharField(
        _("room sharing"), max_length=20, choices=Sharing.choices, default=Sharing.ALONE
    )
    share_with = models.CharField(_("share with"), max_length=200, blank=True, default="")
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(last_night__gte=F("first_night")), name="accommodation_nights_in_order"
            )
        ]

    def __str__(self) -> str:
        return str(self.registration)


class RoomAllocation(models.Model):
    """One room of a room type, for a range of nights, with its occupants."""

    room_type = models.ForeignKey(RoomType, on_delete=models.PROTECT, related_name="allocations")
    first_night = models.DateField(_("first night"))
    last_night = models.DateField(_("last night"))

    class Meta:
        ordering = ["room_type", "first_night", "pk"]

    def __str__(self) -> str:
        return f"{self.room_type} #{self.pk}"


class RoomOccupant(models.Model):
    allocation = models.ForeignKey(
        RoomAllocation, on_delete=models.CASCADE, related_name="occupants"
    )
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="room")

    class Meta:
        ordering = ["allocation", "pk"]

    def __str__(self) -> str:
        return str(self.registration)


class Itinerary(models.Model):
    """A participant's arrival and departure flights, for airport transfers."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="itinerary"
    )
    needs_transfer = models.BooleanField(_("I need an airport transfer"), default=True)
    phone = models.CharField(
        _("mobile phone during the trip"), max_length=30, blank=True, default=""
    )
    arrival_flight = models.CharField(_("arrival flight"), max_length=10, blank=True, default="")
    arrival_airport = models.CharField(_("arrival airport"), max_length=3, blank=True, default="")
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    departure_flight = models.CharField(
        _("departure flight"), max_length=10, blank=True, default=""
    )
    departure_airport = models.CharField(
        _("departure airport"), max_length=3, blank=True, default=""
    )
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")

    def __str__(self) -> str:
        return str(self.registration)


class ManifestExport(models.Model):
    """When a day's transfer manifest was last exported, so later changes stand out."""

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="manifest_exports"
    )
    day = models.DateField(_("day"))
    exported_at = models.DateTimeField(_("exported at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["congress", "day"], name="manifest_export_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.congress} {self.day}"
