"""Membership records: what closing a congress writes about each organisation.

One participation record per (congress, organisation), keyed by the congress itself (never by
its slug, which organisers may rename), and the number of active member organisations of
the congress's network at closing on the congress's `AttendanceClosure`.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from attendance.models import AttendanceClosure, ParticipationRecord
from congress.models import Congress
from members.models import Membership

FIGURES = ("sessions_attended", "trainings_attended", "training_minutes")


@dataclass(frozen=True)
class ParticipationTotals:
    organisations: int  # records written
    member_count: int  # active member organisations of the network at closing


def record_participation(*, congress: Congress, delegates: Iterable[dict]) -> ParticipationTotals:
    """Write the participation records of `congress`.

    `delegates` holds one dict per confirmed registrant with an organisation:
    organisation_id, is_present, sessions_attended, trainings_attended, training_minutes,
    and optionally is_online (registered in an online category: counted in
    delegates_registered_online instead of delegates_registered) and took_part_online
    (followed a session's stream: counted in delegates_online).
    Every active member organisation of the congress's network gets a record (zeros when
    absent), and every other organisation that sent someone gets one marked as non-member.

    Guarantees: idempotent; each record is upserted by (congress, organisation) and records
    of organisations no longer concerned are deleted. Runs in a transaction (the caller's,
    when there is one). The caller stores `member_count` with the closing.
    """
    with transaction.atomic():
        records, member_ids = participation_records(congress=congress, delegates=delegates)
        ParticipationRecord.objects.bulk_create(
            list(records.values()),
            batch_size=500,
            update_conflicts=True,
            unique_fields=["congress", "organisation"],
            update_fields=[
                "is_member",
                "delegates_registered",
                "delegates_registered_online",
                "delegates_present",
                "delegates_online",
                *FIGURES,
                "updated_at",
            ],
        )
        ParticipationRecord.objects.filter(congress=congress).exclude(
            organisation_id__in=list(records)
        ).delete()
    return ParticipationTotals(organisations=len(records), member_count=len(member_ids))


def participation_records(
    *, congress: Congress, delegates: Iterable[dict]
) -> tuple[dict[int, ParticipationRecord], set[int]]:
    """The records closing would write (unsaved), keyed by organisation id, and the ids of
    the network's active member organisations. Used by `record_participation` and by the
    preview shown before closing. One query."""
    member_ids = set()
    if congress.network_id is not None:
        member_ids = set(
            Membership.objects.filter(
                network_id=congress.network_id, status=Membership.Status.ACTIVE
            ).values_list("organisation_id", flat=True)
        )
    records = {
        organisation_id: _empty_record(congress, organisation_id, member_ids)
        for organisation_id in member_ids
    }
    for delegate in delegates:
        organisation_id = delegate["organisation_id"]
        record = records.get(organisation_id)
        if record is None:
            record = records[organisation_id] = _empty_record(congress, organisation_id, member_ids)
        if delegate.get("is_online"):
            record.delegates_registered_online += 1
        else:
            record.delegates_registered += 1
        record.delegates_present += bool(delegate["is_present"])
        record.delegates_online += bool(delegate.get("took_part_online"))
        for figure in FIGURES:
            setattr(record, figure, getattr(record, figure) + delegate[figure])
    return records, member_ids


def record_past_participation(
    *, congress: Congress, closed_at: datetime.datetime, delegates: Iterable[dict]
) -> ParticipationTotals:
    """Membership history of a congress held before this system (no registrations or scans
    here): write its participation records from figures gathered elsewhere, and mark it
    closed at `closed_at` so that the network's engagement counts it.

    Same `delegates` as `record_participation`; idempotent. Locks the congress row.
    """
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        totals = record_participation(congress=congress, delegates=delegates)
        AttendanceClosure.objects.update_or_create(
            congress=congress,
            defaults={"closed_at": closed_at, "member_count": totals.member_count},
        )
    return totals


def _empty_record(
    congress: Congress, organisation_id: int, member_ids: set[int]
) -> ParticipationRecord:
    return ParticipationRecord(
        congress=congress,
        organisation_id=organisation_id,
        is_member=organisation_id in member_ids,
    )
