"""Read side of the member organisation pages (network administrators): the network's
organisations with their membership and participation at a glance, and one organisation's
memberships and participation history across the network's congresses."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from attendance.models import AttendanceClosure, Certificate, ParticipationRecord
from congress.models import Congress
from members.models import Membership, Network, Organisation


def network_organisations(*, network: Network) -> QuerySet[Organisation]:
    """Organisations that are or were members of `network`, or sent delegates to one of its
    closed congresses, with `is_active_member`, `congresses_attended` and
    `delegates_present_total` annotated (one query)."""
    records = Q(participation_records__congress__network=network)
    return (
        Organisation.objects.filter(Q(memberships__network=network) | records)
        .annotate(
            is_active_member=Exists(
                Membership.objects.filter(
                    organisation=OuterRef("pk"),
                    network=network,
                    status=Membership.Status.ACTIVE,
                )
            ),
            congresses_attended=Count(
                "participation_records__congress",
                filter=records & Q(participation_records__delegates_present__gt=0),
                distinct=True,
            ),
        )
        .distinct()
        .order_by("name")
    )


def organisation_of_network(*, network: Network, organisation_id: int) -> Organisation:
    """One organisation of the network's list (Organisation.DoesNotExist otherwise)."""
    return network_organisations(network=network).get(pk=organisation_id)


@dataclass(frozen=True)
class ParticipationRow:
    congress: Congress
    is_member: bool
    delegates_registered: int  # on site
    delegates_registered_online: int
    delegates_present: int
    delegates_online: int
    sessions_attended: int
    training_hours: float
    certificates: int


def participation_history(
    *, network: Network, organisation: Organisation
) -> list[ParticipationRow]:
    """The organisation's participation in each closed congress of the network, newest
    first: delegates, training hours and certificates issued (two queries)."""
    records = list(
        ParticipationRecord.objects.filter(
            organisation=organisation,
            congress__network=network,
            congress__in=AttendanceClosure.objects.exclude(closed_at=None).values("congress"),
        )
        .select_related("congress")
        .order_by("-congress__starts_on")
    )
    certificates = dict(
        Certificate.objects.filter(
            congress__in=[record.congress_id for record in records],
            registration__attendance__organisation=organisation,
            revoked_at=None,
        )
        .values_list("congress_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return [
        ParticipationRow(
            congress=record.congress,
            is_member=record.is_member,
            delegates_registered=record.delegates_registered,
            delegates_registered_online=record.delegates_registered_online,
            delegates_present=record.delegates_present,
            delegates_online=record.delegates_online,
            sessions_attended=record.sessions_attended,
            training_hours=round(record.training_minutes / 60, 1),
            certificates=certificates.get(record.congress_id, 0),
        )
        for record in records
    ]


def history_totals(rows: list[ParticipationRow]) -> dict:
    return {
        "congresses": sum(1 for row in rows if row.delegates_present),
        "delegates_present": sum(row.delegates_present for row in rows),
        "training_hours": round(sum(row.training_hours for row in rows), 1),
        "certificates": sum(row.certificates for row in rows),
    }
