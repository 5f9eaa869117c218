from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.crypto import EncryptedJSONField
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

    class PaymentMethod(models.TextChoices):
        NONE = "none", _("Nothing to pay")
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")

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
    # Added by issue 5 (registration and payment).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    group = models.ForeignKey(
        "RegistrationGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("group registration"),
    )
    voucher = models.ForeignKey(
        "Voucher",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("voucher"),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount_due_minor = models.PositiveIntegerField(_("amount due (minor units)"), default=0)
    amount_paid_minor = models.PositiveIntegerField(_("amount paid (minor units)"), default=0)
    amount_refunded_minor = models.PositiveIntegerField(
        _("amount refunded (minor units)"), default=0
    )
    # Machine codes explaining the fee: "early_bird", "member_rate", "country_group", ...
    fee_reasons = models.JSONField(_("fee reasons"), default=list, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, default="none"
    )
    payment_reference = models.CharField(
        _("payment reference"), max_length=20, blank=True, default=""
    )
    hold_expires_at = models.DateTimeField(_("seat held until"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("waitlist offer expires at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    status_reason = models.CharField(_("status reason"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["congress", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"],
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["payment_reference"],
                condition=~Q(payment_reference=""),
                name="registration_unique_payment_reference",
            ),
            models.CheckConstraint(
                condition=Q(amount_due_minor__gte=0), name="registration_amount_due_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"], name="registration_congress_status"),
            models.Index(
                fields=["category", "status", "waitlisted_at"], name="registration_waitlist"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.congress}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def amount_outstanding_minor(self) -> int:
        return max(self.amount_due_minor - self.amount_paid_minor, 0)

    @property
    def is_active(self) -> bool:
        return self.status not in (self.Status.CANCELLED, self.Status.REJECTED)


class RegistrationSettings(models.Model):
    """Per-congress registration settings: seat holds, refunds, waitlist offers, bank details."""

    congress = models.OneToOneField(
        Congress,
        on_delete=models.CASCADE,
        related_name="registration_settings",
        verbose_name=_("congress"),
    )
    card_hold_minutes = models.PositiveIntegerField(
        _("seat held for card payment (minutes)"), default=60
    )
    transfer_hold_days = models.PositiveIntegerField(
        _("seat held for bank transfer (days)"), default=14
    )
    waitlist_offer_hours = models.PositiveIntegerField(
        _("waitlist offer valid (hours)"), default=48
    )
    full_refund_until = models.DateTimeField(_("full refund until"), null=True, blank=True)
    partial_refund_until = models.DateTimeField(_("partial refund until"), null=True, blank=True)
    partial_refund_percent = models.PositiveSmallIntegerField(
        _("partial refund (percent)"), default=50
    )
    bank_account_holder = models.CharField(
        _("bank account holder"), max_length=200, blank=True, default=""
    )
    bank_iban = models.CharField(_("IBAN"), max_length=64, blank=True, default="")
    bank_bic = models.CharField(_("BIC"), max_length=20, blank=True, default="")
    letterhead = models.TextField(
        _("letterhead text"),
        blank=True,
        default="",
        help_text=_("Printed at the top of receipts and visa invitation letters."),
    )
    letter_signatory = models.CharField(
        _("letter signatory"), max_length=200, blank=True, default=""
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(partial_refund_percent__lte=100), name="settings_refund_percent_max"
            )
        ]

    def __str__(self) -> str:
        return str(self.congress)


class CountryGroup(models.Model):
    """Organiser-defined group of countries (for example high / middle / low income)."""

    congress = models.ForeignKey(
        Congress,
        on_delete=models.CASCADE,
        related_name="country_groups",
        verbose_name=_("congress"),
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_('ISO 3166 codes, e.g. ["FR"].')
    )

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("country group")
        verbose_name_plural = _("country groups")
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="countrygroup_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class FeeRule(models.Model):
    """The fee for a category, optionally for one country group and/or the member rate.

    The most specific rule wins: a rule for the person's country group beats a rule for any
    country; a member rule applies only to members.
    """

    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.CASCADE,
        related_name="fee_rules",
        verbose_name=_("category"),
    )
    country_group = models.ForeignKey(
        CountryGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fee_rules",
        verbose_name=_("country group"),
        help_text=_("Empty means every country."),
    )
    is_member_rate = models.BooleanField(_("member rate"), default=False)
    amount_minor = models.PositiveIntegerField(_("amount (minor units)"))
    early_bird_amount_minor = models.PositiveIntegerField(
        _("early-bird amount (minor units)"), null=True, blank=True
    )
    early_bird_until = models.DateTimeField(_("early bird until"), null=True, blank=True)

    class Meta:
        ordering = ["category", "country_group", "is_member_rate"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "country_group", "is_member_rate"],
                condition=Q(country_group__isnull=False),
                name="feerule_unique_group_scope",
            ),
            models.UniqueConstraint(
                fields=["category", "is_member_rate"],
                condition=Q(country_group__isnull=True),
                name="feerule_unique_any_country_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount_minor}"


class Voucher(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed discount")
        PERCENT = "percent", _("Percentage discount")
        WAIVER = "waiver", _("Full waiver (scholarship)")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("congress")
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("Stored in upper case."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.PositiveIntegerField(
        _("value"), default=0, help_text=_("Minor units for a fixed discount, percent otherwise.")
    )
    usage_limit = models.PositiveIntegerField(
        _("usage limit"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    times_used = models.PositiveIntegerField(_("times used"), default=0)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vouchers",
        verbose_name=_("reserved for organisation"),
    )

    class Meta:
        ordering = ["congress", "code"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="voucher_unique_code"),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(times_used__lte=models.F("usage_limit")),
                name="voucher_usage_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        BOOLEAN = "boolean", _("Yes / no")

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="questions", verbose_name=_("congress")
    )
    code = models.SlugField(_("code"))
    label = models.CharField(_("label"), max_length=300)
    label_translations = models.JSONField(_("label translations"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For a choice: a list of {"value": ..., "label": ..., "label_fr": ...}.'),
    )
    is_required = models.BooleanField(_("required"), default=False)
    categories = models.ManyToManyField(
        RegistrationCategory,
        blank=True,
        related_name="questions",
        verbose_name=_("categories"),
        help_text=_("Empty means every category."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["congress", "position", "code"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="question_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class RegistrationGroup(models.Model):
    """Several delegates of one organisation registered together, paid with one payment."""

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="registration_groups"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="registration_groups",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("contact")
    )
    payment_reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    payment_method = models.CharField(_("payment method"), max_length=10, default="transfer")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["congress", "created_at"]
        verbose_name = _("group registration")
        verbose_name_plural = _("group registrations")

    def __str__(self) -> str:
        return self.payment_reference


class Payment(models.Model):
    class Method(models.TextChoices):
        CARD = "card", _("Card (Stripe)")
        TRANSFER = "transfer", _("Bank transfer")
        MANUAL = "manual", _("Recorded by an organiser")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="payments", verbose_name=_("congress")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("registration"),
    )
    group = models.ForeignKey(
        RegistrationGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("group"),
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    amount_minor = models.PositiveIntegerField(_("amount (minor units)"))
    refunded_minor = models.PositiveIntegerField(_("refunded (minor units)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True, default="")
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, default="")
    checkout_url = models.URLField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        ordering = ["congress", "created_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_checkout_session_id"],
                condition=~Q(stripe_checkout_session_id=""),
                name="payment_unique_checkout_session",
            ),
            models.CheckConstraint(
                condition=Q(refunded_minor__lte=models.F("amount_minor")),
                name="payment_refund_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(registration__isnull=False) | Q(group__isnull=False),
                name="payment_has_payer",
            ),
        ]
        indexes = [models.Index(fields=["status", "method", "created_at"], name="payment_pending")]

    def __str__(self) -> str:
        return f"{self.method} {self.amount_minor} {self.currency}"


class StripeEvent(models.Model):
    """Every Stripe event received, recorded by id before it changes anything."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Why a validly signed event was not acted on (no id, no data object): it is acknowledged
    # (200) so Stripe stops retrying it, and kept here for the operators. "" when accepted.
    rejected_reason = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return self.event_id


class BankStatementImport(models.Model):
    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="bank_imports", verbose_name=_("congress")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})"


class BankTransferLine(models.Model):
    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Matched")
        UNMATCHED = "unmatched", _("Unmatched")
        PARTIAL = "partial", _("Partial payment")
        OVERPAID = "overpaid", _("Over-payment")
        WRONG_CURRENCY = "wrong_currency", _("Wrong currency")

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(
        BankStatementImport, on_delete=models.PROTECT, related_name="lines"
    )
    # SHA-256 of (date, amount, currency, reference, occurrence): the same statement line
    # imported twice is recognised and matched only once.
    line_key = models.CharField(max_length=64)
    booked_on = models.DateField(_("date"))
    amount_minor = models.IntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    reference_text = models.CharField(_("reference text"), max_length=500, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        RegistrationGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        ordering = ["booked_on", "id"]
        verbose_name = _("bank transfer line")
        verbose_name_plural = _("bank transfer lines")
        constraints = [
            models.UniqueConstraint(fields=["congress", "line_key"], name="bankline_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount_minor} {self.currency}"


class VisaLetterRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="visa_request"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    # Passport details ({"full_name", "nationality", "passport_number", "date_of_birth",
    # "expires_on"}), encrypted at rest (common.crypto); {} once purged (purge_passport_data).
    passport_data = EncryptedJSONField(
        _("passport data"), blank=True, default=dict, db_column="passport_data_encrypted"
    )
    reference = models.CharField(_("reference number"), max_length=30, unique=True)
    verification_token_hash = models.CharField(max_length=64, db_index=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("passport data purged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("visa invitation letter request")
        verbose_name_plural = _("visa invitation letter requests")

    def __str__(self) -> str:
        return self.reference
