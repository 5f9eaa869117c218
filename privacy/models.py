"""Privacy: participants' erasure requests (accounts and tokens use Django's own models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Congress
from members.models import Person


class ErasureRequest(models.Model):
    """A participant's request to erase their personal data, confirmed by an organiser.

    `congress` is the congress the request came through (from a registration's self-service
    page): it routes the request to that congress's data protection officers. The row holds
    no personal data of its own.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed (data erased)")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    congress = models.ForeignKey(
        Congress,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("congress"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        db_table = "members_erasurerequest"  # moved from the members app; table kept
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="members_erasurerequest_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} #{self.pk}"
