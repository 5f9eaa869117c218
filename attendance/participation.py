"""Membership records: what closing a congress writes about each organisation.

`members` does not know congresses (DESIGN.md); the badges app calls these functions with
plain values when it closes a congress.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction

from attendance.models import ParticipationRecord
from members.models import CongressEdition, Membership, Network

FIGURES = ("sessions_attended", "trainings_attended", "training_minutes")


def record_participation(
    *,
    congress_key: str,
    name: str,
    network: Network | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    closed_at: datetime.datetime,
    delegates: Iterable[dict],
) -> int:
    """Write the participation records of one congress; returns how many organisations.

    `delegates` holds one dict per confirmed registrant with an organisation:
    organisation_id, is_present, sessions_attended, trainings_attended, training_minutes.
    Every active member organisation of the network gets a record (zeros when absent), and
    every other organisation that sent someone gets one marked as non-member.

    Guarantees: idempotent; the edition is upserted by `congress_key` and each record by
    (edition, organisation), records of organisations no longer concerned are deleted. Runs
    in a transaction (the caller's, when there is one).
    """
    with transaction.atomic():
        member_ids = set()
        if network is not None:
            member_ids = set(
                Membership.objects.filter(
                    network=network, status=Membership.Status.ACTIVE
                ).values_list("organisation_id", flat=True)
            )
        edition, _created = CongressEdition.objects.update_or_create(
            slug=congress_key,
            defaults={
                "name": name,
                "network": network,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "member_count": len(member_ids),
                "closed_at": closed_at,
            },
        )
        records = {
            organisation_id: _empty_record(edition, organisation_id, member_ids)
            for organisation_id in member_ids
        }
        for delegate in delegates:
            organisation_id = delegate["organisation_id"]
            record = records.get(organisation_id)
            if record is None:
                record = records[organisation_id] = _empty_record(
                    edition, organisation_id, member_ids
                )
            record.delegates_registered += 1
            record.delegates_present += bool(delegate["is_present"])
            for figure in FIGURES:
                setattr(record, figure, getattr(record, figure) + delegate[figure])
        ParticipationRecord.objects.bulk_create(
            list(records.values()),
            batch_size=500,
            update_conflicts=True,
            unique_fields=["edition", "organisation"],
            update_fields=[
                "is_member",
                "delegates_registered",
                "delegates_present",
                *FIGURES,
                "updated_at",
            ],
        )
        ParticipationRecord.objects.filter(edition=edition).exclude(
            organisation_id__in=list(records)
        ).delete()
    return len(records)


def _empty_record(
    edition: CongressEdition, organisation_id: int, member_ids: set[int]
) -> ParticipationRecord:
    return ParticipationRecord(
        edition=edition,
        organisation_id=organisation_id,
        is_member=organisation_id in member_ids,
    )
