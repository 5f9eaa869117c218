"""Mailings (mass e-mail to an audience), their outbox, opt-outs and reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Congress
from members.models import Person
from registrations.models import Registration


class Mailing(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    congress = models.ForeignKey(
        Congress, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("congress")
    )
    # The audience's filters (messaging.audience.Audience.as_dict): ids and codes only.
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    subject_translations = models.JSONField(_("subject"), default=dict)
    body_translations = models.JSONField(_("text"), default=dict)
    is_about_registration = models.BooleanField(
        _("about the recipient's own registration"),
        default=False,
        help_text=_(
            "Sent even to people who unsubscribed from mailings, and without an unsubscribe link."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return next(iter(self.subject_translations.values()), "")


class MailingRecipient(models.Model):
    """One person's copy of a mailing: its own message, its own state (the outbox row)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("mailing")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registration"),
    )
    language = models.CharField(_("language"), max_length=10)
    is_protected = models.BooleanField(_("protected participant"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The error's kind (SMTPRecipientsRefused, a provider's bounce type): never the address.
    error = models.CharField(_("reason"), max_length=100, blank=True, default="")
    message_id = models.CharField(_("message id"), max_length=200, blank=True, default="")
    unsubscribe_token_hash = models.CharField(max_length=64, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "person"], name="mailingrecipient_once"),
        ]
        indexes = [
            models.Index(fields=["mailing", "state"], name="mailingrecipient_state"),
            models.Index(
                fields=["message_id"], name="mailingrecipient_message", condition=~Q(message_id="")
            ),
            models.Index(
                fields=["unsubscribe_token_hash"],
                name="mailingrecipient_unsubscribe",
                condition=~Q(unsubscribe_token_hash=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id}/{self.person_id}: {self.state}"


class Unsubscription(models.Model):
    """A person asked for no more mailings of a congress (transactional e-mail still goes)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    congress = models.ForeignKey(
        Congress, on_delete=models.CASCADE, related_name="+", verbose_name=_("congress")
    )
    created_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [
            models.UniqueConstraint(fields=["person", "congress"], name="unsubscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} / {self.congress_id}"


class ReminderSettings(models.Model):
    """Which automatic reminders a congress sends (all off until an organiser switches on)."""

    congress = models.OneToOneField(
        Congress, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    payment_due = models.BooleanField(_("payment due"), default=False)
    payment_due_days = models.PositiveSmallIntegerField(
        _("days before the payment is due"), default=3
    )
    visa_documents_missing = models.BooleanField(_("visa documents missing"), default=False)
    congress_starts = models.BooleanField(_("congress starts soon"), default=False)
    congress_starts_days = models.PositiveSmallIntegerField(
        _("days before the congress starts"), default=7
    )
    session_tomorrow = models.BooleanField(_("session tomorrow"), default=False)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.congress_id)


class ReminderSent(models.Model):
    """A reminder of one kind went to one registration (for one session): never twice."""

    class Kind(models.TextChoices):
        PAYMENT_DUE = "payment_due", _("Payment due")
        VISA_DOCUMENTS_MISSING = "visa_documents_missing", _("Visa documents missing")
        CONGRESS_STARTS = "congress_starts", _("Congress starts soon")
        SESSION_TOMORROW = "session_tomorrow", _("Session tomorrow")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="+", verbose_name=_("registration")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # The session's id for "session tomorrow", else "".
    subject_key = models.CharField(max_length=40, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "subject_key"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.kind}"
