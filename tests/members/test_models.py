import pytest
from django.db import IntegrityError

from members.models import Membership
from tests.factories.members import MembershipFactory

pytestmark = pytest.mark.django_db


def test_membership_second_active_in_same_network_is_refused():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(organisation=membership.organisation, network=membership.network)


def test_membership_ended_one_can_coexist_with_active():
    ended = MembershipFactory(status=Membership.Status.ENDED)

    active = MembershipFactory(organisation=ended.organisation, network=ended.network)

    assert list(Membership.objects.filter(status="active")) == [active]
