"""Closing a congress from the organiser's page: refused before the congress's last day (in
its time zone), previewed before anything is written, and reopened when figures must change.

`close_congress` (attendance.services) does the writing and is idempotent: the participation
records of a congress are upserted by (congress, organisation), so closing again after a
reopening replaces them, never duplicates them.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from attendance.exceptions import CongressNotOver
from attendance.models import AttendanceClosure
from attendance.participation import participation_records
from attendance.queries import load_attendance_data, person_figures
from attendance.services import CloseResult, close_congress, delegate_rows
from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation


def local_today(congress: Congress, now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(congress.tzinfo).date()


def may_close(congress: Congress, now: datetime.datetime | None = None) -> bool:
    """True from the congress's last day on, in the congress's time zone."""
    return local_today(congress, now) >= congress.ends_on


@dataclass(frozen=True)
class PreviewRow:
    organisation: Organisation
    is_member: bool
    delegates_registered: int  # on site
    delegates_registered_online: int
    delegates_present: int
    delegates_online: int
    training_hours: float


@dataclass(frozen=True)
class ClosingPreview:
    people: int
    present: int
    rows: list[PreviewRow]
    member_count: int
    members_present: int

    @property
    def share(self) -> int:
        """Percent of the network's member organisations that sent someone present."""
        return round(100 * self.members_present / self.member_count) if self.member_count else 0


def closing_preview(*, congress: Congress) -> ClosingPreview:
    """What closing would write now, computed without writing anything: one participation
    record per organisation and the network's engagement figure for this congress."""
    data = load_attendance_data(congress=congress)
    figures = person_figures(data)
    records, member_ids = participation_records(
        congress=congress, delegates=delegate_rows(data, figures)
    )
    organisations = Organisation.objects.in_bulk(list(records))
    rows = sorted(
        (
            PreviewRow(
                organisation=organisations[organisation_id],
                is_member=record.is_member,
                delegates_registered=record.delegates_registered,
                delegates_registered_online=record.delegates_registered_online,
                delegates_present=record.delegates_present,
                delegates_online=record.delegates_online,
                training_hours=round(record.training_minutes / 60, 1),
            )
            for organisation_id, record in records.items()
            if record.delegates_registered or record.delegates_registered_online or record.is_member
        ),
        key=lambda row: (-row.delegates_present, row.organisation.name.casefold()),
    )
    return ClosingPreview(
        people=len(figures),
        present=sum(person.is_present for person in figures.values()),
        rows=rows,
        member_count=len(member_ids),
        members_present=sum(
            1 for record in records.values() if record.is_member and record.delegates_present
        ),
    )


def close_after_last_day(
    *, congress: Congress, actor: AbstractBaseUser | None, now: datetime.datetime | None = None
) -> CloseResult:
    """Close the congress (attendance.services.close_congress) once its last day has come.

    Raises CongressNotOver before the last day in the congress's time zone.
    """
    if not may_close(congress, now):
        raise CongressNotOver(day=date_format(congress.ends_on, "DATE_FORMAT"))
    return close_congress(congress=congress, actor=actor, now=now)


def reopen_congress(*, congress: Congress, actor: AbstractBaseUser | None) -> bool:
    """Reopen a closed congress: it leaves the network's engagement figures until it is
    closed again, which replaces its participation records. False when it was not closed.
    Locks the congress row like closing does. Audited ("attendance.reopened")."""
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        closure = AttendanceClosure.objects.filter(congress=congress).first()
        if closure is None or closure.closed_at is None:
            return False
        closure.closed_at = None
        closure.save(update_fields=["closed_at"])
        record_audit(action="attendance.reopened", congress=congress, actor=actor, target=congress)
    return True
