"""Interpretation headsets lent at the desk by badge scan."""

import pytest
from django.urls import reverse

from badges.exceptions import BadgeRevoked, HeadsetAlreadyOut, NoOpenLoan
from badges.models import HeadsetLoan
from badges.services import revoke_credentials
from badges.services.headsets import lend_headset, outstanding_loans, return_headset
from privacy.erasure import erase_person
from tests.factories.badges import CredentialFactory

pytestmark = pytest.mark.django_db


def test_lend_and_return_a_headset(congress):
    credential = CredentialFactory(registration__congress=congress)

    loan = lend_headset(congress=congress, token=credential.token, headset=" h-12 ")
    returned = return_headset(congress=congress, headset="H-12")

    assert (loan.headset, returned.pk, list(outstanding_loans(congress=congress))) == (
        "H-12",
        loan.pk,
        [],
    )


def test_headset_out_cannot_be_lent_twice(congress):
    first = CredentialFactory(registration__congress=congress)
    second = CredentialFactory(registration__congress=congress)
    lend_headset(congress=congress, token=first.token, headset="7")

    with pytest.raises(HeadsetAlreadyOut):
        lend_headset(congress=congress, token=second.token, headset="7")

    assert HeadsetLoan.objects.count() == 1


def test_revoked_badge_gets_no_headset(congress):
    credential = CredentialFactory(registration__congress=congress)
    revoke_credentials(registration=credential.registration, reason="banned")

    with pytest.raises(BadgeRevoked):
        lend_headset(congress=congress, token=credential.token, headset="7")


def test_returning_a_headset_not_out_is_refused(congress):
    with pytest.raises(NoOpenLoan):
        return_headset(congress=congress, headset="99")


def test_erasure_clears_the_phone_number(congress):
    credential = CredentialFactory(registration__congress=congress)
    lend_headset(congress=congress, token=credential.token, headset="3", phone="+33 6 12")

    erase_person(person=credential.registration.person, actor=None)

    assert list(HeadsetLoan.objects.values_list("headset", "phone")) == [("3", "")]


def test_desk_page_lends_with_deposit_and_organiser_sees_outstanding(client, congress, organiser):
    credential = CredentialFactory(
        registration__congress=congress, registration__person__name="Amal Haddad"
    )
    client.force_login(organiser)
    url = reverse("badges:headsets", kwargs={"slug": congress.slug})

    client.post(
        url,
        {
            "action": "lend",
            "token": credential.token,
            "headset": "12",
            "phone": "+216 20 000 000",
            "deposit": "20",
        },
    )

    page = client.get(url)
    [loan] = page.context["loans"]
    assert (loan.registration.person.name, loan.phone, loan.deposit_minor) == (
        "Amal Haddad",
        "+216 20 000 000",
        2000,
    )


def test_desk_page_hides_the_outstanding_list_from_door_staff(client, congress, checkin_staff):
    credential = CredentialFactory(registration__congress=congress)
    lend_headset(congress=congress, token=credential.token, headset="1", phone="+1 555")
    client.force_login(checkin_staff)

    page = client.get(reverse("badges:headsets", kwargs={"slug": congress.slug}))

    assert (page.context["loans"], "+1 555" in page.content.decode()) == ([], False)


@pytest.mark.parametrize("count", [1, 4])
def test_desk_page_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for number in range(count):
        credential = CredentialFactory(registration__congress=congress)
        lend_headset(congress=congress, token=credential.token, headset=str(number))
    client.force_login(organiser)

    # session, user, congress, role, organiser check, the loans with people, audit row
    with django_assert_num_queries(7):
        page = client.get(reverse("badges:headsets", kwargs={"slug": congress.slug}))

    assert len(page.context["loans"]) == count
