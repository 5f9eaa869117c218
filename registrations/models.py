from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.crypto import EncryptedJSONField
from common.storage import get_private_file_storage
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

    class Access(models.TextChoices):
        # "" (the default) means "by kind": staff and speakers by invitation, others public.
        BY_KIND = "", _("By kind (staff and speakers by invitation, others public)")
        PUBLIC = "public", _("Public: listed on the registration form")
        ACCESS_CODE = "access_code", _("Hidden: only with the access code")
        INVITATION = "invitation", _("Invitation only: only with a personal invitation link")

    # Kinds that are invitation-only unless the organiser opens them explicitly.
    INVITATION_KINDS = (Kind.STAFF, Kind.SPEAKER)

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
    # Remote participation: people who take part online (refused a visa, unsafe to travel).
    is_online = models.BooleanField(
        _("takes part online"),
        default=False,
        help_text=_(
            "For remote participants: no badge is printed for them and the attendance "
            "report counts them apart."
        ),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    colour = models.CharField(_("badge colour"), max_length=7, default="#1f6f8b")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    access = models.CharField(
        _("who can register"), max_length=20, choices=Access.choices, blank=True, default=""
    )
    access_code = models.CharField(
        _("access code"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("For a hidden category: the code registrants type (not case-sensitive)."),
    )

    class Meta:
        ordering = ["congress", "position", "name"]
        verbose_name = _("registration category")
        verbose_name_plural = _("registration categories")
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.access_code = self.access_code.strip().upper()
        super().save(*args, **kwargs)

    @property
    def effective_access(self) -> str:
        """The access rule that applies: the organiser's choice, else the kind's default."""
        if self.access:
            return self.access
        if self.kind in self.INVITATION_KINDS:
            return self.Access.INVITATION
        return self.Access.PUBLIC

    @property
    def is_public(self) -> bool:
        return self.effective_access == self.Access.PUBLIC


class CategoryInvitation(models.Model):
    """A personal, single-use link to register in an invitation-only (or hidden) category.

    Only the SHA-256 of the link's token is stored; the link is shown once to the organiser.
    """

    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="+", verbose_name=_("congress")
    )
    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("category"),
    )
    note = models.CharField(
        _("for whom"), max_length=200, blank=True, default="", help_text=_("A name or a note.")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    registration = models.OneToOneField(
        "Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("registration"),
    )

    class Meta:
        ordering = ["congress", "-created_at"]
        verbose_name = _("category invitation")
        verbose_name_plural = _("category invitations")

    def __str__(self) -> str:
        return f"{self.category} ({self.note})"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Pending payment")
        PENDING_APPROVAL = "pending_approval", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    class Membership(models.TextChoices):
        NOT_CLAIMED = "", _("No member organisation named")
        PENDING = "pending", _("Member rate waiting for verification")
        VERIFIED = "verified", _("Membership verified")
        DECLINED = "declined", _("Membership not confirmed")

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
    # Verified membership (issue 13): the member rate and organisation-reserved vouchers
    # apply only once the membership is verified; until then the non-member fee is owed and
    # `member_amount_minor` says what it becomes once verified.
    membership = models.CharField(
        _("membership"), max_length=10, choices=Membership.choices, blank=True, default=""
    )
    membership_verified_via = models.CharField(
        _("membership verified by"), max_length=20, blank=True, default=""
    )
    member_amount_minor = models.PositiveIntegerField(
        _("fee once the membership is verified (minor units)"), null=True, blank=True
    )
    # SHA-256 of the one-time link e-mailed to the organisation's contact.
    membership_token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)

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
    letter_signatory_title = models.CharField(
        _("signatory's title"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("For example: Executive Director."),
    )
    # PNG or JPEG, checked on its content and size by the settings form; private storage.
    signature_image = models.FileField(
        _("signature image"),
        storage=get_private_file_storage,
        upload_to="signatures/",
        max_length=255,
        blank=True,
        default="",
    )
    visa_letter_language = models.CharField(
        _("visa letters' language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language consulates read; each letter can be given another one."),
    )
    visa_costs_covered = models.JSONField(
        _("costs the organisers cover (visa letters)"),
        default=list,
        blank=True,
        help_text=_('Codes among "registration", "travel", "accommodation", "meals".'),
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
    # Added by issue 13: the head of delegation's private page and the delegation's terms.
    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    access_token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # SHA-256 of the one-time link asking the organisation's contact to confirm the
    # delegation's membership (one request for the whole delegation).
    membership_token_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # One voucher (a waiver, say) covers the whole delegation and counts as one use.
    voucher = models.ForeignKey(
        "Voucher",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("voucher"),
    )

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
    # A card payment the payer's bank disputes (chargeback): Stripe's dispute id and state
    # ("needs_response", "under_review", "won", "lost", ...) as last fetched from Stripe.
    stripe_dispute_id = models.CharField(max_length=255, blank=True, default="")
    dispute_status = models.CharField(_("dispute"), max_length=30, blank=True, default="")
    # The amount taken back by a lost dispute (counted like a refund on the registrations).
    dispute_lost_minor = models.PositiveIntegerField(_("lost in dispute (minor units)"), default=0)

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


class BankImportMapping(models.Model):
    """How one bank writes its CSV statements, saved by the organisers per congress."""

    class Delimiter(models.TextChoices):
        COMMA = ",", _("Comma (,)")
        SEMICOLON = ";", _("Semicolon (;)")
        TAB = "\t", _("Tab")
        PIPE = "|", _("Vertical bar (|)")

    class DecimalSeparator(models.TextChoices):
        POINT = ".", _("Point: 1234.56")
        COMMA = ",", _("Comma: 1234,56")

    class ThousandsSeparator(models.TextChoices):
        NONE = "", _("None: 1234")
        POINT = ".", _("Point: 1.234")
        COMMA = ",", _("Comma: 1,234")
        SPACE = " ", _("Space: 1 234")
        APOSTROPHE = "'", _("Apostrophe: 1'234")

    class Encoding(models.TextChoices):
        UTF8 = "utf-8-sig", _("UTF-8")
        LATIN1 = "latin-1", _("Western European (ISO 8859-1)")
        CP1252 = "cp1252", _("Windows Western European (1252)")

    class DateFormat(models.TextChoices):
        ISO = "%Y-%m-%d", _("2027-01-31")
        DOTS = "%d.%m.%Y", _("31.01.2027")
        SLASHES = "%d/%m/%Y", _("31/01/2027")
        US = "%m/%d/%Y", _("01/31/2027")

    congress = models.ForeignKey(
        Congress,
        on_delete=models.CASCADE,
        related_name="bank_mappings",
        verbose_name=_("congress"),
    )
    name = models.CharField(_("bank"), max_length=100)
    delimiter = models.CharField(
        _("column separator"), max_length=2, choices=Delimiter.choices, default=","
    )
    decimal_separator = models.CharField(
        _("decimal separator"), max_length=1, choices=DecimalSeparator.choices, default="."
    )
    thousands_separator = models.CharField(
        _("thousands separator"),
        max_length=1,
        choices=ThousandsSeparator.choices,
        blank=True,
        default="",
    )
    encoding = models.CharField(
        _("encoding"), max_length=20, choices=Encoding.choices, default="utf-8-sig"
    )
    date_format = models.CharField(
        _("date format"), max_length=20, choices=DateFormat.choices, default="%Y-%m-%d"
    )
    date_column = models.CharField(_("date column"), max_length=100)
    amount_column = models.CharField(_("amount column"), max_length=100)
    reference_column = models.CharField(_("purpose / reference column"), max_length=100)
    payer_column = models.CharField(_("payer name column"), max_length=100, blank=True, default="")
    currency_column = models.CharField(
        _("currency column"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Empty: every line is in the congress's currency."),
    )
    transaction_id_column = models.CharField(
        _("transaction id column"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("The bank's own id of each line, when the export has one."),
    )

    class Meta:
        ordering = ["congress", "name"]
        verbose_name = _("bank statement mapping")
        verbose_name_plural = _("bank statement mappings")
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="bankmapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BankStatementImport(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        CAMT053 = "camt053", _("CAMT.053 (ISO 20022 XML)")
        MT940 = "mt940", _("MT940 (SWIFT)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="bank_imports", verbose_name=_("congress")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    file_format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.CSV
    )
    mapping = models.ForeignKey(
        BankImportMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mapping"),
    )
    # The mapping as it was when the file was queued (editing a mapping later changes nothing).
    layout = models.JSONField(_("layout"), default=dict, blank=True)
    # The uploaded file, kept only until the import has run (it names payers).
    content = models.BinaryField(default=b"", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total_lines = models.PositiveIntegerField(_("lines"), default=0)
    processed_lines = models.PositiveIntegerField(_("lines processed"), default=0)
    # {"matched": n, "partial": n, "overpaid": n, "unmatched": n, "wrong_currency": n,
    #  "duplicate": n, "refused": n, "debit": n}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # [{"line": 12, "message": "..."}]: the refused lines, translated when the import ran.
    line_errors = models.JSONField(_("refused lines"), default=list, blank=True)
    failure_message = models.CharField(
        _("why the file was refused"), max_length=500, blank=True, default=""
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The uploader's language: the task writes the refused lines' messages in it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

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
    # SHA-256 of the bank's transaction id, or of (date, amount, currency, reference, payer,
    # occurrence): the same statement line imported twice is recognised and matched only once.
    line_key = models.CharField(max_length=64)
    booked_on = models.DateField(_("date"))
    amount_minor = models.IntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    reference_text = models.CharField(_("reference text"), max_length=500, blank=True, default="")
    payer_name = models.CharField(_("payer"), max_length=200, blank=True, default="")
    bank_transaction_id = models.CharField(
        _("bank transaction id"), max_length=100, blank=True, default=""
    )
    line_number = models.PositiveIntegerField(_("line"), default=0)
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

    class Cost(models.TextChoices):
        REGISTRATION = "registration", _("registration fee")
        TRAVEL = "travel", _("travel")
        ACCOMMODATION = "accommodation", _("accommodation")
        MEALS = "meals", _("meals")

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
    # Chosen by the organiser when approving: blank / null means the congress's setting.
    letter_language = models.CharField(
        _("letter language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    costs_covered = models.JSONField(
        _("costs the organisers cover"), null=True, blank=True, default=None
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("visa invitation letter request")
        verbose_name_plural = _("visa invitation letter requests")

    def __str__(self) -> str:
        return self.reference


class InvoiceSettings(models.Model):
    """Who issues this congress's invoices and how VAT is treated."""

    congress = models.OneToOneField(
        Congress,
        on_delete=models.CASCADE,
        related_name="invoice_settings",
        verbose_name=_("congress"),
    )
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True, default="")
    issuer_address = models.TextField(_("issuer's address"), blank=True, default="")
    issuer_vat_number = models.CharField(
        _("issuer's VAT number"), max_length=40, blank=True, default=""
    )
    number_prefix = models.CharField(
        _("invoice number prefix"),
        max_length=20,
        blank=True,
        default="",
        help_text=_("For example WC2027-: invoices are then numbered WC2027-00001, ..."),
    )
    # Hundredths of a percent: 2000 is 20 %. 0 with an exemption text: no VAT charged.
    vat_rate_basis_points = models.PositiveIntegerField(_("VAT rate"), default=0)
    vat_exemption_text = models.CharField(
        _("VAT exemption text"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("Printed when no VAT is charged, e.g. the article of law that exempts it."),
    )

    class Meta:
        verbose_name = _("invoice settings")
        verbose_name_plural = _("invoice settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_rate_basis_points__lte=10000), name="invoicesettings_vat_max"
            )
        ]

    def __str__(self) -> str:
        return str(self.congress)


class InvoiceSequence(models.Model):
    """The last invoice number of a congress; locked while a number is allocated, so numbers
    have no gap and no duplicate (a rolled-back invoice gives its number back)."""

    congress = models.OneToOneField(Congress, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.congress_id}: {self.last_number}"


class BillingDetails(models.Model):
    """Whom an invoice is made out to: for one registration or for a delegation (group)."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="billing_details",
    )
    group = models.OneToOneField(
        RegistrationGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="billing_details",
    )
    name = models.CharField(_("billing entity"), max_length=200)
    address = models.TextField(_("billing address"), max_length=1000)
    country = CountryField(_("country"), blank=True, default="")
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("billing details")
        verbose_name_plural = _("billing details")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=False, group__isnull=True)
                | Q(registration__isnull=True, group__isnull=False),
                name="billingdetails_one_payer",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Invoice(models.Model):
    """An invoice or a credit note, immutable once issued: the billing entity, the lines
    and the VAT are copied in when it is issued."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("congress")
    )
    number = models.PositiveIntegerField(_("number"))
    display_number = models.CharField(_("invoice number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    group = models.ForeignKey(
        RegistrationGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("corrected invoice"),
    )
    billing_name = models.CharField(_("billing entity"), max_length=200)
    billing_address = models.TextField(_("billing address"), blank=True, default="")
    billing_country = models.CharField(_("country"), max_length=2, blank=True, default="")
    billing_vat_number = models.CharField(_("VAT number"), max_length=40, blank=True, default="")
    currency = models.CharField(_("currency"), max_length=3)
    # Amounts include VAT; a credit note's amounts are positive and subtract.
    total_minor = models.PositiveIntegerField(_("total (minor units)"))
    vat_minor = models.PositiveIntegerField(_("VAT (minor units)"), default=0)
    vat_rate_basis_points = models.PositiveIntegerField(_("VAT rate"), default=0)
    vat_exemption_text = models.CharField(
        _("VAT exemption text"), max_length=300, blank=True, default=""
    )
    # [{"description": "...", "amount_minor": 12000}]
    lines = models.JSONField(_("lines"), default=list)
    reason = models.CharField(_("reason"), max_length=40, blank=True, default="")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    language = models.CharField(_("language"), max_length=10, default="en")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["congress", "number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="invoice_unique_number"),
            models.CheckConstraint(
                condition=Q(registration__isnull=False, group__isnull=True)
                | Q(registration__isnull=True, group__isnull=False),
                name="invoice_one_payer",
            ),
            models.CheckConstraint(
                condition=Q(vat_minor__lte=models.F("total_minor")), name="invoice_vat_within"
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def signed_total_minor(self) -> int:
        return -self.total_minor if self.kind == self.Kind.CREDIT_NOTE else self.total_minor
