"""The network engagement page: pinned query count and the trend chart over 3+ congresses."""

import datetime
import re

import pytest
from django.core.management import call_command

from attendance.participation import record_past_participation
from congress.models import Congress
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def chart_points(body: str) -> list[tuple[str, str]]:
    """(x, y) of every point of the trend chart's line, in order."""
    line = re.search(r'<polyline class="chart-line" points="([^"]*)"', body)
    return [tuple(point.split(",")) for point in line.group(1).split()] if line else []


def chart_labels(body: str) -> list[str]:
    return re.findall(
        r'<text class="chart-label" x="[^"]+" y="[^"]+" text-anchor="middle">([^<]*)<', body
    )


def network_with_congresses(congresses: int, organisations: int):
    network = NetworkFactory()
    members = [MembershipFactory(network=network).organisation for _ in range(organisations)]
    for index in range(congresses):
        year = 2010 + 3 * index
        present = members[: (index % organisations) + 1]
        record_past_participation(
            congress=CongressFactory(
                network=network,
                name=f"Congress {year}",
                starts_on=datetime.date(year, 6, 1),
                ends_on=datetime.date(year, 6, 3),
            ),
            closed_at=datetime.datetime(year, 7, 1, tzinfo=datetime.UTC),
            delegates=[
                {
                    "organisation_id": organisation.pk,
                    "is_present": True,
                    "sessions_attended": 1,
                    "trainings_attended": 0,
                    "training_minutes": 0,
                }
                for organisation in present
            ],
        )
    return network


@pytest.mark.parametrize(("congresses", "organisations"), [(3, 2), (7, 9)])
def test_engagement_page_query_count_is_pinned(
    django_assert_num_queries, client, congresses, organisations
):
    network = network_with_congresses(congresses, organisations)
    client.force_login(CongressRoleFactory(congress=CongressFactory(network=network)).user)

    with django_assert_num_queries(7):
        response = client.get(f"/en/networks/{network.slug}/engagement/")

    assert len(chart_points(response.content.decode())) == congresses


def test_engagement_page_for_the_demo_network_draws_the_trend_of_its_congresses(client):
    call_command("demo", "--allow-production")
    world = Congress.objects.get(slug="world-congress-2027")
    client.force_login(CongressRoleFactory(congress=world).user)

    response = client.get(f"/en/congresses/{world.slug}/engagement/", follow=True)

    body = response.content.decode()
    assert response.redirect_chain == [(f"/en/networks/{world.network.slug}/engagement/", 302)]
    points = chart_points(body)
    assert len(points) == 4
    assert [float(x) for x, _y in points] == sorted(float(x) for x, _y in points)
    assert body.count('<circle class="chart-point"') == 4
    assert body.count("<tr><td>") >= 4
    assert chart_labels(body) == ["2016", "2019", "2022", "2027"]


def test_engagement_chart_labels_congresses_of_one_year_by_month(client):
    network = NetworkFactory()
    MembershipFactory(network=network)
    for key, starts_on in (
        ("a", datetime.date(2018, 5, 2)),
        ("b", datetime.date(2019, 3, 4)),
        ("c", datetime.date(2019, 11, 5)),
    ):
        record_past_participation(
            congress=CongressFactory(
                network=network,
                name=f"Regional congress {key}",
                starts_on=starts_on,
                ends_on=starts_on,
            ),
            closed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
            delegates=[],
        )
    client.force_login(CongressRoleFactory(congress=CongressFactory(network=network)).user)

    body = client.get(f"/en/networks/{network.slug}/engagement/").content.decode()

    assert chart_labels(body) == ["2018", "March 2019", "November 2019"]
