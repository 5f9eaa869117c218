import datetime

import pytest

from attendance.engagement import network_engagement
from attendance.participation import record_past_participation
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def present(organisation, *, count=1):
    return [
        {
            "organisation_id": organisation.pk,
            "is_present": True,
            "sessions_attended": 2,
            "trainings_attended": 1,
            "training_minutes": 90,
        }
    ] * count


def closed_congress(network, year, *delegates):
    record_past_participation(
        congress=CongressFactory(
            network=network,
            slug=f"congress-{year}",
            name=f"Congress {year}",
            starts_on=datetime.date(year, 6, 1),
            ends_on=datetime.date(year, 6, 3),
        ),
        closed_at=datetime.datetime(year, 7, 1, tzinfo=datetime.UTC),
        delegates=[delegate for group in delegates for delegate in group],
    )


@pytest.fixture
def small_network():
    """4 members (A-D) and a visitor E, over four congresses:
    2016: A, D   2019: A   2022: B, E (non-member)   2025: A, E."""
    network = NetworkFactory(slug="abolition")
    a, b, c, d, e = (OrganisationFactory(name=name) for name in "ABCDE")
    for member in (a, b, c, d):
        MembershipFactory(network=network, organisation=member)
    MembershipFactory(organisation=e)  # a member of another network only
    closed_congress(network, 2016, present(a), present(d))
    closed_congress(network, 2019, present(a))
    closed_congress(network, 2022, present(b), present(e, count=2))
    closed_congress(network, 2025, present(a), present(e))
    return network, {"A": a, "B": b, "C": c, "D": d, "E": e}


def test_engagement_shares_match_the_hand_computation(small_network):
    network, _orgs = small_network

    figures = network_engagement(network=network)

    assert figures.member_count == 4
    assert figures.share_last == 1 / 4  # A
    assert figures.share_recent == 2 / 4  # A, B over 2019-2025
    assert [(item.congress.name, item.share) for item in figures.congresses] == [
        ("Congress 2016", 0.5),
        ("Congress 2019", 0.25),
        ("Congress 2022", 0.25),
        ("Congress 2025", 0.25),
    ]


def test_engagement_lists_long_absent_members_and_newcomers(small_network):
    network, orgs = small_network

    figures = network_engagement(network=network)

    assert [
        (item.organisation.name, item.last_congress and item.last_congress.name)
        for item in figures.absent
    ] == [("C", None), ("D", "Congress 2016")]
    assert [
        (item.organisation, item.congress.name, item.is_member_now) for item in figures.newcomers
    ] == [(orgs["E"], "Congress 2022", False)]


@pytest.mark.parametrize("organisations", [1, 5])
def test_engagement_query_count_is_flat(django_assert_num_queries, organisations):
    network = NetworkFactory()
    members = [MembershipFactory(network=network).organisation for _ in range(organisations)]
    closed_congress(network, 2022, *(present(member) for member in members))

    with django_assert_num_queries(3):
        figures = network_engagement(network=network)

    assert figures.share_last == 1.0


def test_engagement_page_for_network_organisers_shows_chart(client, small_network):
    network, _orgs = small_network
    organiser = CongressRoleFactory(congress=CongressFactory(network=network)).user
    client.force_login(organiser)

    body = client.get(f"/en/networks/{network.slug}/engagement/").content.decode()

    assert '<strong id="share-last">25 %</strong>' in body
    assert '<strong id="share-recent">50 %</strong>' in body
    assert '<polyline class="chart-line"' in body
    assert "<script" not in body


def test_engagement_page_hidden_from_organisers_of_other_networks(client, small_network):
    network, _orgs = small_network
    client.force_login(CongressRoleFactory(congress=CongressFactory()).user)

    assert client.get(f"/en/networks/{network.slug}/engagement/").status_code == 404
