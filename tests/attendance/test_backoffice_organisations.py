"""Member organisation pages of a network (network administrators)."""

import datetime

import pytest

from attendance.models import AttendanceClosure, ParticipationRecord
from congress.models import AuditEvent
from members.models import Membership, Organisation
from tests.backoffice_html import errors, input_value, texts
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import (
    MembershipFactory,
    NetworkAdministratorFactory,
    NetworkFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return NetworkAdministratorFactory()


def list_url(network) -> str:
    return f"/en/networks/{network.slug}/organisations/"


def closed_congress(network, year: int):
    congress = CongressFactory(
        network=network,
        name=f"Congress {year}",
        starts_on=datetime.date(year, 6, 1),
        ends_on=datetime.date(year, 6, 3),
    )
    AttendanceClosure.objects.create(
        congress=congress, closed_at=datetime.datetime(year, 6, 4, tzinfo=datetime.UTC)
    )
    return congress


def test_organisation_page_shows_memberships_and_participation_history(client, administrator):
    network = administrator.network
    organisation = OrganisationFactory(name="KHRC")
    MembershipFactory(network=network, organisation=organisation)
    for year, present, minutes in ((2022, 3, 180), (2025, 2, 90)):
        ParticipationRecord.objects.create(
            congress=closed_congress(network, year),
            organisation=organisation,
            is_member=True,
            delegates_registered=present + 1,
            delegates_present=present,
            training_minutes=minutes,
        )
    ParticipationRecord.objects.create(  # another network's congress: not shown
        congress=closed_congress(NetworkFactory(), 2024), organisation=organisation
    )
    client.force_login(administrator.user)

    response = client.get(f"{list_url(network)}{organisation.pk}/")

    assert [
        (row.congress.name, row.delegates_present, row.training_hours, row.certificates)
        for row in response.context["history"]
    ] == [("Congress 2025", 2, 1.5, 0), ("Congress 2022", 3, 3.0, 0)]
    assert response.context["totals"] == {
        "congresses": 2,
        "delegates_present": 5,
        "training_hours": 4.5,
        "certificates": 0,
    }
    assert [m.status for m in response.context["memberships"]] == ["active"]


def test_adding_an_organisation_makes_it_a_member_and_is_audited(client, administrator):
    client.force_login(administrator.user)

    response = client.post(
        list_url(administrator.network),
        {
            "name": "Uganda Law Society",
            "acronym": "ULS",
            "kind": "bar_association",
            "country": "UG",
            "website": "",
            "joined_on": "2026-01-15",
        },
    )

    organisation = Organisation.objects.get(name="Uganda Law Society")
    assert response.url == f"{list_url(administrator.network)}{organisation.pk}/"
    assert list(
        Membership.objects.filter(organisation=organisation).values_list(
            "network", "status", "joined_on"
        )
    ) == [(administrator.network.pk, "active", datetime.date(2026, 1, 15))]
    assert AuditEvent.objects.get(action="network.membership_added").actor == administrator.user


def test_ending_a_membership_keeps_it_as_history(client, administrator):
    membership = MembershipFactory(network=administrator.network)
    client.force_login(administrator.user)
    url = f"{list_url(administrator.network)}{membership.organisation_id}/memberships/"

    client.post(f"{url}{membership.pk}/end/", {"day": "2026-12-31"})
    client.post(f"{url}add/", {"day": "2027-02-01"})

    assert list(
        Membership.objects.filter(organisation=membership.organisation)
        .order_by("pk")
        .values_list("status", "ended_on", "joined_on")
    ) == [
        ("ended", datetime.date(2026, 12, 31), None),
        ("active", None, datetime.date(2027, 2, 1)),
    ]


def test_a_second_active_membership_is_refused_with_a_message(client, administrator):
    membership = MembershipFactory(network=administrator.network)
    client.force_login(administrator.user)
    url = f"{list_url(administrator.network)}{membership.organisation_id}/memberships/add/"

    response = client.post(url, {"day": "2027-02-01"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This organisation is already an active member of the network."
    ]
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("who", ["organiser", "other_network_administrator"])
def test_member_organisations_are_for_the_networks_administrators(client, administrator, who):
    user = (
        CongressRoleFactory(congress__network=administrator.network).user
        if who == "organiser"
        else NetworkAdministratorFactory().user
    )
    client.force_login(user)

    response = client.get(list_url(administrator.network))

    assert response.status_code == 404


def test_an_organisation_outside_the_network_is_not_found(client, administrator):
    outsider = MembershipFactory().organisation
    client.force_login(administrator.user)

    response = client.get(f"{list_url(administrator.network)}{outsider.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_organisation_list_query_count_is_flat(
    client, administrator, django_assert_num_queries, rows
):
    congress = closed_congress(administrator.network, 2025)
    for _number in range(rows):
        organisation = MembershipFactory(network=administrator.network).organisation
        ParticipationRecord.objects.create(
            congress=congress, organisation=organisation, delegates_present=1
        )
    client.force_login(administrator.user)

    with django_assert_num_queries(4):  # session, user, network, organisations
        response = client.get(list_url(administrator.network))

    assert [o.congresses_attended for o in response.context["organisations"]] == [1] * rows


@pytest.mark.parametrize("rows", [1, 5])
def test_organisation_page_query_count_is_flat(
    client, administrator, django_assert_num_queries, rows
):
    organisation = MembershipFactory(network=administrator.network).organisation
    for year in range(2000, 2000 + rows):
        ParticipationRecord.objects.create(
            congress=closed_congress(administrator.network, year), organisation=organisation
        )
    client.force_login(administrator.user)

    # session, user, network, organisation, memberships, records, certificates
    with django_assert_num_queries(7):
        response = client.get(f"{list_url(administrator.network)}{organisation.pk}/")

    assert len(response.context["history"]) == rows


def test_administrator_sets_email_domains_and_contact_cleaned_and_audited(client, administrator):
    network = administrator.network
    organisation = MembershipFactory(network=network).organisation
    client.force_login(administrator.user)

    response = client.post(
        f"{list_url(network)}{organisation.pk}/",
        {
            "email_domains": "ECPM.org, ecpm.org\n  Abolition.FR \n\n",
            "contact_email": "Membership@ECPM.ORG",
        },
    )

    organisation.refresh_from_db()
    audit = AuditEvent.objects.get(action="network.organisation_verification_changed")
    assert response.status_code == 302
    assert (organisation.email_domains, organisation.contact_email) == (
        ["ecpm.org", "abolition.fr"],
        "Membership@ecpm.org",
    )
    assert (audit.actor, audit.target_id, audit.detail) == (
        administrator.user,
        str(organisation.pk),
        {
            "network_id": network.pk,
            "email_domains": ["ecpm.org", "abolition.fr"],
            "contact_email_set": True,
        },
    )


def test_organisation_page_shows_stored_domains_and_contact(client, administrator):
    network = administrator.network
    organisation = MembershipFactory(
        network=network,
        organisation=OrganisationFactory(
            email_domains=["ecpm.org", "abolition.fr"], contact_email="contact@ecpm.org"
        ),
    ).organisation
    client.force_login(administrator.user)

    response = client.get(f"{list_url(network)}{organisation.pk}/")

    assert texts(response, "//textarea[@name='email_domains']/text()") == ["ecpm.org abolition.fr"]
    assert input_value(response, "contact_email") == "contact@ecpm.org"


@pytest.mark.parametrize(
    ("domains", "contact", "message"),
    [
        ("info@ecpm.org", "", "Enter domains without @: info@ecpm.org"),
        ("@ecpm.org", "", "Enter domains without @: @ecpm.org"),
        ("not a domain", "", "This is not a domain name: not a domain"),
        ("ecpm.org", "not-an-address", "Enter a valid email address."),
    ],
)
def test_invalid_domains_or_contact_are_refused_with_a_message(
    client, administrator, domains, contact, message
):
    network = administrator.network
    organisation = MembershipFactory(network=network).organisation
    client.force_login(administrator.user)

    response = client.post(
        f"{list_url(network)}{organisation.pk}/",
        {"email_domains": domains, "contact_email": contact},
    )

    organisation.refresh_from_db()
    assert errors(response) == [message]
    assert (organisation.email_domains, organisation.contact_email) == ([], "")
    changed = AuditEvent.objects.filter(action="network.organisation_verification_changed")
    assert changed.count() == 0


def test_verification_contacts_are_for_the_networks_administrators(client, administrator):
    network = administrator.network
    organisation = MembershipFactory(network=network).organisation
    client.force_login(CongressRoleFactory(congress__network=network).user)

    response = client.post(
        f"{list_url(network)}{organisation.pk}/", {"email_domains": "evil.example"}
    )

    organisation.refresh_from_db()
    assert (response.status_code, organisation.email_domains) == (404, [])


def test_domain_error_is_translated(client, administrator):
    network = administrator.network
    organisation = MembershipFactory(network=network).organisation
    client.force_login(administrator.user)

    response = client.post(
        f"/fr/networks/{network.slug}/organisations/{organisation.pk}/",
        {"email_domains": "info@ecpm.org"},
    )

    assert errors(response) == ["Saisissez les domaines sans @ : info@ecpm.org"]
