"""Read side of membership records: a network's engagement across its closed congresses."""

from dataclasses import dataclass, field

from attendance.models import ParticipationRecord
from congress.models import Congress
from members.models import Membership, Network, Organisation

RECENT_CONGRESSES = 3


@dataclass
class CongressShare:
    congress: Congress
    member_count: int  # active member organisations of the network at the last closing
    members_present: int
    share: float | None  # members present / members at the time; None without members


@dataclass
class AbsentOrganisation:
    organisation: Organisation
    last_congress: Congress | None  # the last congress it took part in, if any


@dataclass
class Newcomer:
    organisation: Organisation
    congress: Congress  # first congress it came to, as a non-member
    is_member_now: bool


@dataclass
class NetworkEngagement:
    network: Network
    member_count: int
    congresses: list[CongressShare] = field(default_factory=list)  # oldest first
    share_last: float | None = None
    share_recent: float | None = None
    recent_count: int = 0
    absent: list[AbsentOrganisation] = field(default_factory=list)
    newcomers: list[Newcomer] = field(default_factory=list)

    @property
    def last_congress(self) -> Congress | None:
        return self.congresses[-1].congress if self.congresses else None


def network_engagement(*, network: Network, recent: int = RECENT_CONGRESSES) -> NetworkEngagement:
    """Engagement of `network`'s member organisations, in 3 queries whatever the size.

    Counts each closed congress of the network once, whatever its slug was at each closing.
    - share_last: active members that took part (someone present) in the last congress,
      over the active members now;
    - share_recent: active members that took part in at least one of the last `recent`;
    - absent: active members absent from all of the last `recent` congresses;
    - newcomers: organisations whose first congress of the network was as a non-member.
    """
    congresses = list(
        Congress.objects.filter(network=network, attendance_closure__closed_at__isnull=False)
        .select_related("attendance_closure")
        .order_by("starts_on", "id")
    )
    members = {
        membership.organisation_id: membership.organisation
        for membership in Membership.objects.filter(
            network=network, status=Membership.Status.ACTIVE
        ).select_related("organisation")
    }
    tally = _Tally(congresses)
    for record in (
        ParticipationRecord.objects.filter(congress__network=network, delegates_present__gt=0)
        .select_related("organisation")
        .order_by("congress__starts_on", "congress_id", "organisation_id")
    ):
        tally.add(record)
    engagement = NetworkEngagement(
        network=network,
        member_count=len(members),
        congresses=[_share(congress, tally) for congress in congresses],
    )
    if not congresses:
        return engagement
    recent_ids = [congress.pk for congress in congresses[-recent:]]
    engagement.recent_count = len(recent_ids)
    recent_present = set().union(*(tally.present[pk] for pk in recent_ids))
    if members:
        last_present = tally.present[congresses[-1].pk]
        engagement.share_last = len(last_present & members.keys()) / len(members)
        engagement.share_recent = len(recent_present & members.keys()) / len(members)
    engagement.absent = _absent(members, recent_present, tally)
    engagement.newcomers = _newcomers(members, tally)
    return engagement


class _Tally:
    """Who took part in which closed congress, from the records with someone present."""

    def __init__(self, congresses: list[Congress]) -> None:
        self.by_id = {congress.pk: congress for congress in congresses}
        self.present: dict[int, set[int]] = {pk: set() for pk in self.by_id}
        self.members_present: dict[int, int] = dict.fromkeys(self.by_id, 0)
        self.last_taken_part: dict[int, int] = {}  # organisation id -> congress id
        self.first_record: dict[int, ParticipationRecord] = {}  # by organisation id

    def add(self, record: ParticipationRecord) -> None:
        """Records come oldest congress first."""
        if record.congress_id not in self.by_id:  # never closed: not part of the trend
            return
        self.present[record.congress_id].add(record.organisation_id)
        self.members_present[record.congress_id] += record.is_member
        self.last_taken_part[record.organisation_id] = record.congress_id
        self.first_record.setdefault(record.organisation_id, record)


def _share(congress: Congress, tally: _Tally) -> CongressShare:
    member_count = congress.attendance_closure.member_count
    members_present = tally.members_present[congress.pk]
    return CongressShare(
        congress=congress,
        member_count=member_count,
        members_present=members_present,
        share=members_present / member_count if member_count else None,
    )


def _absent(
    members: dict[int, Organisation], recent_present: set[int], tally: _Tally
) -> list[AbsentOrganisation]:
    """Members absent from the recent congresses, longest absent first."""
    absent = [
        AbsentOrganisation(
            organisation=organisation,
            last_congress=tally.by_id.get(tally.last_taken_part.get(organisation_id)),
        )
        for organisation_id, organisation in members.items()
        if organisation_id not in recent_present
    ]
    return sorted(
        absent,
        key=lambda item: (
            item.last_congress.starts_on.toordinal() if item.last_congress else 0,
            item.organisation.name,
        ),
    )


def _newcomers(members: dict[int, Organisation], tally: _Tally) -> list[Newcomer]:
    """Organisations whose first congress was as a non-member, most recent first."""
    return [
        Newcomer(
            organisation=record.organisation,
            congress=tally.by_id[record.congress_id],
            is_member_now=record.organisation_id in members,
        )
        for record in reversed(tally.first_record.values())
        if not record.is_member
    ]
