import datetime

import pytest

from attendance.models import AttendanceClosure, ParticipationRecord
from attendance.participation import (
    ParticipationTotals,
    record_participation,
    record_past_participation,
)
from congress.models import Congress
from tests.factories.congress import CongressFactory
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def delegate(organisation, *, is_present=True, sessions=1, trainings=1, minutes=60):
    return {
        "organisation_id": organisation.pk,
        "is_present": is_present,
        "sessions_attended": sessions,
        "trainings_attended": trainings,
        "training_minutes": minutes,
    }


def record(congress, delegates):
    return record_participation(congress=congress, delegates=delegates)


def figures():
    return sorted(
        ParticipationRecord.objects.values_list(
            "organisation__name",
            "is_member",
            "delegates_registered",
            "delegates_present",
            "sessions_attended",
            "training_minutes",
        )
    )


def test_record_participation_sums_delegates_per_organisation():
    network = NetworkFactory()
    member = MembershipFactory(network=network, organisation__name="Member").organisation
    MembershipFactory(network=network, organisation__name="Absent member")
    visitor = OrganisationFactory(name="Visitor")

    totals = record(
        CongressFactory(network=network),
        [
            delegate(member),
            delegate(member, is_present=False, sessions=0, minutes=0),
            delegate(visitor, sessions=3, minutes=120),
        ],
    )

    assert totals == ParticipationTotals(organisations=3, member_count=2)
    assert figures() == [
        ("Absent member", True, 0, 0, 0, 0),
        ("Member", True, 2, 1, 1, 60),
        ("Visitor", False, 1, 1, 3, 120),
    ]


def test_record_participation_again_replaces_and_drops_stale_records():
    network = NetworkFactory()
    member = MembershipFactory(network=network, organisation__name="Member").organisation
    visitor = OrganisationFactory(name="Visitor")
    congress = CongressFactory(network=network)
    record(congress, [delegate(member), delegate(visitor)])

    record(congress, [delegate(member, sessions=2)])

    assert figures() == [("Member", True, 1, 1, 2, 60)]
    assert list(ParticipationRecord.objects.values_list("congress", flat=True)) == [congress.pk]


def test_record_past_participation_closes_the_congress_with_its_member_count():
    network = NetworkFactory()
    member = MembershipFactory(network=network, organisation__name="Member").organisation
    congress = CongressFactory(network=network, status=Congress.Status.ARCHIVED)
    closed_at = datetime.datetime(2016, 7, 1, 12, tzinfo=datetime.UTC)

    for _run in range(2):
        record_past_participation(
            congress=congress, closed_at=closed_at, delegates=[delegate(member)]
        )

    closure = AttendanceClosure.objects.get(congress=congress)
    assert (closure.closed_at, closure.member_count, closure.times_closed) == (closed_at, 1, 0)
    assert figures() == [("Member", True, 1, 1, 1, 60)]
