"""Read side of membership records: a network's engagement across its congresses."""

from dataclasses import dataclass, field

from attendance.models import ParticipationRecord
from members.models import CongressEdition, Membership, Network, Organisation

RECENT_EDITIONS = 3


@dataclass
class EditionShare:
    edition: CongressEdition
    members_present: int
    share: float | None  # members present / members at the time; None without members


@dataclass
class AbsentOrganisation:
    organisation: Organisation
    last_edition: CongressEdition | None  # the last congress it took part in, if any


@dataclass
class Newcomer:
    organisation: Organisation
    edition: CongressEdition  # first congress it came to, as a non-member
    is_member_now: bool


@dataclass
class NetworkEngagement:
    network: Network
    member_count: int
    editions: list[EditionShare] = field(default_factory=list)  # oldest first
    share_last: float | None = None
    share_recent: float | None = None
    recent_count: int = 0
    absent: list[AbsentOrganisation] = field(default_factory=list)
    newcomers: list[Newcomer] = field(default_factory=list)

    @property
    def last_edition(self) -> CongressEdition | None:
        return self.editions[-1].edition if self.editions else None


def network_engagement(*, network: Network, recent: int = RECENT_EDITIONS) -> NetworkEngagement:
    """Engagement of `network`'s member organisations, in 3 queries whatever the size.

    - share_last: active members that took part (someone present) in the last congress,
      over the active members now;
    - share_recent: active members that took part in at least one of the last `recent`;
    - absent: active members absent from all of the last `recent` congresses;
    - newcomers: organisations whose first congress of the network was as a non-member.
    """
    editions = list(CongressEdition.objects.filter(network=network).order_by("starts_on", "id"))
    members = {
        membership.organisation_id: membership.organisation
        for membership in Membership.objects.filter(
            network=network, status=Membership.Status.ACTIVE
        ).select_related("organisation")
    }
    records = list(
        ParticipationRecord.objects.filter(edition__network=network, delegates_present__gt=0)
        .select_related("organisation")
        .order_by("edition__starts_on", "edition_id", "organisation_id")
    )
    engagement = NetworkEngagement(network=network, member_count=len(members))
    present_by_edition: dict[int, set[int]] = {edition.pk: set() for edition in editions}
    members_present: dict[int, int] = dict.fromkeys(present_by_edition, 0)
    last_taken_part: dict[int, int] = {}
    first_record: dict[int, ParticipationRecord] = {}
    for record in records:
        present_by_edition[record.edition_id].add(record.organisation_id)
        members_present[record.edition_id] += record.is_member
        last_taken_part[record.organisation_id] = record.edition_id
        first_record.setdefault(record.organisation_id, record)
    by_id = {edition.pk: edition for edition in editions}
    engagement.editions = [
        EditionShare(
            edition=edition,
            members_present=members_present[edition.pk],
            share=members_present[edition.pk] / edition.member_count
            if edition.member_count
            else None,
        )
        for edition in editions
    ]
    if not editions:
        return engagement
    recent_ids = [edition.pk for edition in editions[-recent:]]
    engagement.recent_count = len(recent_ids)
    recent_present = set().union(*(present_by_edition[pk] for pk in recent_ids))
    if members:
        engagement.share_last = len(present_by_edition[editions[-1].pk] & members.keys()) / len(
            members
        )
        engagement.share_recent = len(recent_present & members.keys()) / len(members)
    engagement.absent = sorted(
        (
            AbsentOrganisation(
                organisation=organisation,
                last_edition=by_id.get(last_taken_part.get(organisation_id)),
            )
            for organisation_id, organisation in members.items()
            if organisation_id not in recent_present
        ),
        key=lambda item: (
            item.last_edition.starts_on.toordinal() if item.last_edition else 0,
            item.organisation.name,
        ),
    )
    engagement.newcomers = [
        Newcomer(
            organisation=record.organisation,
            edition=by_id[record.edition_id],
            is_member_now=record.organisation_id in members,
        )
        for record in reversed(first_record.values())
        if not record.is_member
    ]
    return engagement
