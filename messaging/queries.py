"""Read-side querysets of the messaging pages."""

from django.db.models import Count, Q, QuerySet

from congress.models import Congress
from messaging.models import Mailing, MailingRecipient

State = MailingRecipient.State


def mailings_with_counts(*, congress: Congress) -> QuerySet[Mailing]:
    """The congress's mailings, newest first, with who sent them and per-state counts."""
    return (
        Mailing.objects.filter(congress=congress)
        .select_related("created_by")
        .annotate(
            sent_count=Count("recipients", filter=Q(recipients__state=State.SENT)),
            failed_count=Count("recipients", filter=Q(recipients__state=State.FAILED)),
            bounced_count=Count("recipients", filter=Q(recipients__state=State.BOUNCED)),
            queued_count=Count(
                "recipients", filter=Q(recipients__state__in=[State.QUEUED, State.SENDING])
            ),
        )
        .order_by("-created_at", "-pk")
    )


def outbox_rows(*, mailing: Mailing) -> QuerySet[MailingRecipient]:
    """A mailing's recipients with their person (one query)."""
    return MailingRecipient.objects.filter(mailing=mailing).select_related("person")
