"""Verified membership: the member rate and reserved vouchers only once verified (issue 13)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail

from registrations import services
from registrations.exceptions import InvalidVoucher
from registrations.models import Registration
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
M = Registration.Membership
NOW = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def member(congress):
    network = NetworkFactory()
    congress.network = network
    congress.save()
    organisation = OrganisationFactory(
        name="Ligue", email_domains=["ligue.example"], contact_email="contact@ligue.example"
    )
    MembershipFactory(organisation=organisation, network=network)
    return organisation


@pytest.fixture
def category(congress):
    category = RegistrationCategoryFactory(congress=congress, capacity=10)
    FeeRuleFactory(category=category, amount_minor=30000)
    FeeRuleFactory(category=category, is_member_rate=True, amount_minor=12000)
    return category


def register(congress, category, organisation, email, *, voucher="", send_email=False):
    return services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(
            email=email, name="Karim", country="FR", organisation=organisation
        ),
        voucher_code=voucher,
        now=NOW,
        send_email=send_email,
    ).registration


def test_naming_a_member_organisation_no_longer_gives_the_member_rate(congress, category, member):
    registration = register(congress, category, member, "karim@gmail.example")

    assert (
        registration.amount_due_minor,
        registration.fee_reasons,
        registration.membership,
        registration.member_amount_minor,
    ) == (30000, ["standard"], M.PENDING, 12000)


def test_member_rate_with_an_address_at_the_organisation_s_domain(congress, category, member):
    registration = register(congress, category, member, "Karim@LIGUE.example")

    assert (
        registration.amount_due_minor,
        registration.fee_reasons,
        registration.membership,
        registration.membership_verified_via,
    ) == (12000, ["member_rate"], M.VERIFIED, "domain")


def test_naming_organisation_1_no_longer_makes_its_waiver_work_for_anyone(
    congress, category, member
):
    VoucherFactory(congress=congress, code="LIGUE-FREE", organisation=member)

    with pytest.raises(InvalidVoucher) as caught:
        register(congress, category, member, "anyone@gmail.example", voucher="ligue-free")

    assert str(caught.value) == (
        "This voucher code is reserved for the members of one organisation: register with "
        "your e-mail address at that organisation, or ask the organisers."
    )
    assert Registration.objects.count() == 0


def test_reserved_waiver_works_with_an_address_at_the_organisation(congress, category, member):
    VoucherFactory(congress=congress, code="LIGUE-FREE", organisation=member)

    registration = register(congress, category, member, "karim@ligue.example", voucher="ligue-free")

    assert (registration.amount_due_minor, registration.status) == (
        0,
        Registration.Status.CONFIRMED,
    )


def test_pending_membership_e_mails_the_contact_a_one_time_link_that_applies_the_member_rate(
    client, congress, category, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(congress, category, member, "karim@gmail.example", send_email=True)
    to_contact = next(message for message in mail.outbox if message.to == ["contact@ligue.example"])
    link = next(line for line in to_contact.body.splitlines() if "/membership/" in line)
    path = urlsplit(link.strip()).path

    page = client.get(path, follow=True)
    answer = client.post(path, {"answer": "confirm"})
    reuse = client.post(path, {"answer": "confirm"})

    registration.refresh_from_db()
    assert "karim@gmail.example" in page.content.decode()
    assert answer.context["confirmed"] is True
    assert (registration.membership, registration.membership_verified_via) == (
        M.VERIFIED,
        "contact",
    )
    assert (registration.amount_due_minor, registration.fee_reasons) == (12000, ["member_rate"])
    assert reuse.status_code == 404


def test_contact_declining_keeps_the_standard_fee(congress, category, member):
    registration = register(congress, category, member, "karim@gmail.example")
    token = services.membership.issue_membership_link(registration=registration)

    services.answer_membership_link(token=token, confirm=False)

    registration.refresh_from_db()
    assert (registration.membership, registration.amount_due_minor) == (M.DECLINED, 30000)


def test_organiser_approves_the_membership_from_the_registration_page(
    client, congress, category, member, organiser
):
    registration = register(congress, category, member, "karim@gmail.example")
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/registrations/{registration.pk}/verify-membership/"
    )

    registration.refresh_from_db()
    assert (
        registration.membership,
        registration.membership_verified_via,
        registration.amount_due_minor,
        registration.member_amount_minor,
    ) == (M.VERIFIED, "organiser", 12000, None)


def test_verifying_a_membership_already_paid_at_the_member_rate_confirms_it(
    congress, category, member, organiser
):
    registration = register(congress, category, member, "karim@gmail.example")
    services.record_payment(
        registration=registration, amount_minor=12000, currency="EUR", method="transfer"
    )

    registration = services.verify_membership(
        registration=registration, via="organiser", actor=organiser
    )

    assert (registration.status, registration.amount_outstanding_minor) == (
        Registration.Status.CONFIRMED,
        0,
    )


def test_self_service_page_shows_the_member_rate_once_verified(client, congress, category, member):
    outcome = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(
            email="karim@gmail.example", name="Karim", country="FR", organisation=member
        ),
        send_email=False,
    )

    response = client.get(f"/en/registration/{outcome.access_token}/", follow=True)

    assert "€120.00 once your organisation confirms your membership" in response.content.decode()


def test_fee_quote_shows_the_member_rate_waiting_for_verification(
    client, congress, category, member
):
    response = client.get(
        f"/en/congresses/{congress.slug}/register/fee/",
        {"category": category.pk, "organisation": member.pk, "email": "k@gmail.example"},
    )

    assert response.json() == {
        "amount": "€300.00",
        "reasons": ["Standard rate"],
        "member_amount": "Member rate once your membership is verified: €120.00",
    }


def test_moving_a_pending_member_recomputes_the_member_fee_too(
    congress, category, member, organiser
):
    other = RegistrationCategoryFactory(congress=congress, capacity=10)
    FeeRuleFactory(category=other, amount_minor=50000)
    FeeRuleFactory(category=other, is_member_rate=True, amount_minor=25000)
    registration = register(congress, category, member, "karim@gmail.example")

    registration = services.move_registration(
        registration=registration, category=other, actor=organiser
    )

    assert (registration.amount_due_minor, registration.member_amount_minor) == (50000, 25000)


def test_a_delegation_s_contact_gets_one_request_and_confirms_every_delegate(
    client, congress, category, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.register_group(
            congress=congress,
            category=category,
            organisation=member,
            contact=services.RegistrantDetails(email="head@gmail.example", name="Head"),
            delegates=[
                services.RegistrantDetails(email=f"d{n}@gmail.example", name=f"D{n}", country="FR")
                for n in range(3)
            ],
            payment_method="transfer",
        )
    to_contact = [message for message in mail.outbox if message.to == ["contact@ligue.example"]]
    link = next(line for line in to_contact[0].body.splitlines() if "/membership/" in line)

    client.post(urlsplit(link.strip()).path, {"answer": "confirm"})

    assert len(to_contact) == 1
    assert "- D2 (d2@gmail.example)" in to_contact[0].body
    assert (
        list(
            Registration.objects.filter(group=result.group).values_list(
                "membership", "amount_due_minor"
            )
        )
        == [(M.VERIFIED, 12000)] * 3
    )
