import datetime

import pytest

from attendance.models import ParticipationRecord
from attendance.participation import record_participation
from members.models import CongressEdition
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


def record(network, delegates):
    return record_participation(
        congress_key="world-2027",
        name="World 2027",
        network=network,
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        closed_at=datetime.datetime(2027, 6, 20, tzinfo=datetime.UTC),
        delegates=delegates,
    )


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
    visitor = OrganisationFactory(name="Visitor")

    count = record(
        network,
        [
            delegate(member),
            delegate(member, is_present=False, sessions=0, minutes=0),
            delegate(visitor, sessions=3, minutes=120),
        ],
    )

    assert count == 2
    assert figures() == [("Member", True, 2, 1, 1, 60), ("Visitor", False, 1, 1, 3, 120)]


def test_record_participation_again_replaces_and_drops_stale_records():
    network = NetworkFactory()
    member = MembershipFactory(network=network, organisation__name="Member").organisation
    visitor = OrganisationFactory(name="Visitor")
    record(network, [delegate(member), delegate(visitor)])

    record(network, [delegate(member, sessions=2)])

    assert figures() == [("Member", True, 1, 1, 2, 60)]
    assert CongressEdition.objects.count() == 1
