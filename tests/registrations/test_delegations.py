"""Delegations: one head, one reference, each delegate on their own terms (issue 13)."""

import pytest
from django.core import mail

from registrations import services
from registrations.exceptions import AlreadyRegistered, InvalidAnswers
from registrations.models import Registration, Voucher
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def category(congress):
    """€200, €50 for a low-income country."""
    category = RegistrationCategoryFactory(congress=congress, capacity=20, name="Delegate")
    low = CountryGroupFactory(congress=congress, countries=["SN", "NG"])
    FeeRuleFactory(category=category, amount_minor=20000)
    FeeRuleFactory(category=category, country_group=low, amount_minor=5000)
    return category


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Ligue des droits", country="FR")


def delegate(email, country, name=None, language="en", **extra):
    return services.RegistrantDetails(
        email=email, name=name or email.split("@")[0], country=country, language=language, **extra
    )


def register(congress, category, organisation, delegates, **extra):
    return services.register_group(
        congress=congress,
        category=category,
        organisation=organisation,
        contact=services.RegistrantDetails(
            email="head@example.org", name="Awa Head", language="fr"
        ),
        delegates=delegates,
        payment_method="transfer",
        **extra,
    )


def test_each_delegate_pays_the_fee_of_their_own_country_not_the_organisation_s(
    congress, category, organisation
):
    result = register(
        congress,
        category,
        organisation,
        [delegate("fr@example.org", "FR"), delegate("sn@example.org", "SN")],
        send_email=False,
    )

    assert [
        (item.registration.person.country.code, item.registration.amount_due_minor)
        for item in result.outcomes
    ] == [("FR", 20000), ("SN", 5000)]
    assert result.amount_due_minor == 25000


def test_delegates_carry_no_reference_of_their_own(congress, category, organisation):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )

    assert result.outcomes[0].registration.payment_reference == ""
    assert result.group.payment_reference.startswith("GRP-")


def test_delegate_e_mail_says_the_head_pays_and_has_no_reference_or_amount(
    congress, category, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(congress, category, organisation, [delegate("a@example.org", "FR")])

    (to_delegate,) = [message for message in mail.outbox if message.to == ["a@example.org"]]
    body = to_delegate.body
    assert "REG-" not in body
    assert "€200.00" not in body
    assert (
        "Your head of delegation, Awa Head, pays for the whole delegation under the reference "
        f"{result.group.payment_reference}. You have nothing to pay yourself: please do not "
        "make a payment of your own."
    ) in body


def test_head_of_delegation_gets_the_summary_with_reference_total_and_private_link(
    client, congress, category, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = register(
            congress,
            category,
            organisation,
            [delegate("a@example.org", "FR", "Ana"), delegate("b@example.org", "SN", "Ba")],
        )

    (to_head,) = [message for message in mail.outbox if message.to == ["head@example.org"]]
    body = to_head.body
    assert to_head.subject == (
        f"Votre délégation pour {congress.name} ({result.group.payment_reference})"
    )
    reference = result.group.payment_reference
    assert f"Référence de paiement pour toute la délégation: {reference}" in body
    assert "- Ana: En attente de paiement, 200,00\u00a0€" in body
    assert "Total à payer: 250,00\u00a0€" in body
    assert f"/fr/delegation/{result.access_token}/" in body


def test_delegate_private_page_says_the_head_pays(client, congress, category, organisation):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )

    page = client.get(
        f"/en/registration/{result.outcomes[0].access_token}/", follow=True
    ).content.decode()

    assert (
        "Paid by your head of delegation, Awa Head, under the reference "
        f"{result.group.payment_reference}: you have nothing to pay yourself."
    ) in page
    assert "Pay by card" not in page


def test_one_voucher_covers_the_delegation_and_counts_one_use(congress, category, organisation):
    VoucherFactory(congress=congress, code="SCHOLAR", usage_limit=1)

    result = register(
        congress,
        category,
        organisation,
        [delegate("a@example.org", "FR"), delegate("b@example.org", "SN")],
        voucher_code="scholar",
        send_email=False,
    )

    assert [item.registration.status for item in result.outcomes] == [S.CONFIRMED, S.CONFIRMED]
    assert Voucher.objects.get().times_used == 1


def test_one_payment_of_the_total_confirms_every_delegate(congress, category, organisation):
    result = register(
        congress,
        category,
        organisation,
        [delegate("a@example.org", "FR"), delegate("b@example.org", "SN")],
        send_email=False,
    )

    services.record_payment(
        group=result.group, amount_minor=25000, currency="EUR", method="transfer"
    )

    assert list(Registration.objects.order_by("pk").values_list("status", "amount_paid_minor")) == [
        (S.CONFIRMED, 20000),
        (S.CONFIRMED, 5000),
    ]


def test_each_delegate_answers_the_questions_with_the_form_s_validator(
    congress, category, organisation
):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)

    with pytest.raises(InvalidAnswers) as caught:
        register(
            congress,
            category,
            organisation,
            [delegate("a@example.org", "FR", answers={"diet": "vegan"}), delegate("b@x.org", "FR")],
            send_email=False,
        )

    assert str(caught.value) == "“Dietary needs”: this question needs an answer."
    assert Registration.objects.count() == 0


def test_head_adds_a_delegate_from_the_private_page(client, congress, category, organisation):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )

    client.get(f"/en/delegation/{result.access_token}/", follow=True)  # token for a cookie
    response = client.post(
        f"/en/delegation/{result.access_token}/",
        {
            "new-name": "Cheikh",
            "new-email": "cheikh@example.org",
            "new-country": "SN",
            "new-language": "",
        },
        follow=True,
    )

    added = Registration.objects.get(person__email="cheikh@example.org")
    assert (added.group, added.amount_due_minor, added.language, added.payment_reference) == (
        result.group,
        5000,
        "fr",
        "",
    )
    assert response.context["amount_due_minor"] == 25000


def test_head_corrects_a_delegate_s_country_and_the_fee_follows(
    client, congress, category, organisation
):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )
    registration = result.outcomes[0].registration

    client.post(
        f"/en/delegation/{result.access_token}/{registration.pk}/",
        {
            "action": "edit",
            "edit-name": "Aminata",
            "edit-email": "a@example.org",
            "edit-country": "NG",
            "edit-language": "en",
        },
    )

    registration.refresh_from_db()
    assert (
        registration.person.name,
        registration.person.country.code,
        registration.amount_due_minor,
    ) == ("Aminata", "NG", 5000)


def test_head_replaces_a_delegate_who_keeps_the_seat_and_payment(
    client, congress, category, organisation
):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )
    services.record_payment(
        group=result.group, amount_minor=20000, currency="EUR", method="transfer"
    )
    registration = result.outcomes[0].registration
    old_token = result.outcomes[0].access_token

    client.post(
        f"/en/delegation/{result.access_token}/{registration.pk}/",
        {
            "action": "replace",
            "replace-name": "Binta",
            "replace-email": "binta@example.org",
            "replace-country": "SN",
            "replace-language": "fr",
        },
    )

    registration.refresh_from_db()
    assert (
        registration.person.email,
        registration.status,
        registration.amount_paid_minor,
        registration.amount_due_minor,
    ) == ("binta@example.org", S.CONFIRMED, 20000, 20000)
    assert client.get(f"/en/registration/{old_token}/", follow=True).status_code == 404


def test_replacing_with_someone_already_registered_is_refused(congress, category, organisation):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )
    RegistrationFactory(congress=congress, person=PersonFactory(email="taken@example.org"))

    with pytest.raises(AlreadyRegistered):
        services.replace_delegate(
            group=result.group,
            registration=result.outcomes[0].registration,
            details=delegate("taken@example.org", "FR"),
        )

    assert Registration.objects.get(group=result.group).person.email == "a@example.org"


def test_group_page_unknown_token_is_not_found(client):
    response = client.get("/en/delegation/not-a-token/", follow=True)

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_group_page_query_count_is_flat(
    client, congress, category, organisation, django_assert_num_queries, rows
):
    result = register(
        congress,
        category,
        organisation,
        [delegate(f"d{index}@example.org", "FR") for index in range(rows)],
        send_email=False,
    )

    with django_assert_num_queries(QUERIES_GROUP_PAGE):
        response = client.get(f"/en/delegation/{result.access_token}/", follow=True)

    assert len(response.context["delegates"]) == rows


QUERIES_GROUP_PAGE = 5


def test_delegate_cannot_start_a_card_payment_of_their_own(
    client, congress, category, organisation, stripe_stub
):
    result = register(
        congress, category, organisation, [delegate("a@example.org", "FR")], send_email=False
    )
    token = result.outcomes[0].access_token

    client.get(f"/en/registration/{token}/", follow=True)  # the token becomes a cookie
    response = client.post(f"/en/registration/{token}/pay/", follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "Your head of delegation pays for the whole delegation."
    ]
    assert stripe_stub.sessions == {}
