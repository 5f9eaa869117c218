import pytest
from django.urls import reverse

from congress.models import CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory
from tests.factories.members import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _changelist_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


ADMIN_LISTS = [
    (
        "admin:congress_congress_changelist",
        lambda congress, n: (
            CongressRoleFactory.create_batch(n, congress=congress)
            and [CongressFactory() for _ in range(n)]
        ),
    ),
    (
        "admin:congress_track_changelist",
        lambda congress, n: TrackFactory.create_batch(n, congress=congress),
    ),
    (
        "admin:congress_congressrole_changelist",
        lambda congress, n: CongressRoleFactory.create_batch(
            n, congress=congress, role=CongressRole.Role.REVIEWER
        ),
    ),
    (
        "admin:members_person_changelist",
        lambda congress, n: PersonFactory.create_batch(n, organisation=OrganisationFactory()),
    ),
    ("admin:members_membership_changelist", lambda congress, n: MembershipFactory.create_batch(n)),
    (
        "admin:members_organisation_changelist",
        lambda congress, n: OrganisationFactory.create_batch(n),
    ),
]


@pytest.mark.parametrize(("url_name", "build"), ADMIN_LISTS, ids=[name for name, _ in ADMIN_LISTS])
def test_admin_changelist_query_count_does_not_grow_with_rows(client, url_name, build):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    congress = CongressFactory()
    client.force_login(superuser)
    url = reverse(url_name)
    build(congress, 1)
    few = _changelist_queries(client, url)

    build(congress, 6)
    many = _changelist_queries(client, url)

    assert many == few


def test_admin_person_changelist_is_hidden_from_organisers(client, organiser):
    client.force_login(organiser)

    response = client.get(reverse("admin:members_person_changelist"))

    assert response.status_code == 403
