"""“Send me my private link again” (issue 13)."""

import pytest
from django.core import mail
from django.core.cache import cache

from common.tokens import hash_token
from registrations import services
from registrations.models import Registration
from tests.factories.registrations import RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
SAME_ANSWER = (
    "If this address is registered for this congress, a new private link is on its way to "
    "it. Earlier links no longer work."
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registered(congress):
    return services.register_participant(
        congress=congress,
        category=RegistrationCategoryFactory(congress=congress),
        details=services.RegistrantDetails(email="Lina@example.org", name="Lina", language="fr"),
        send_email=False,
    )


def ask(client, congress, email):
    return client.post(
        f"/en/congresses/{congress.slug}/register/lost-link/", {"email": email}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_known_address_gets_a_new_link_and_the_old_one_stops_working(
    client, congress, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, congress, "lina@EXAMPLE.org")

    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/registration/" in line)
    new_token = link.rstrip("/").rsplit("/", 1)[1]
    registration = Registration.objects.get()
    assert messages_of(response) == [SAME_ANSWER]
    assert message.to == ["Lina@example.org"]
    assert "/fr/registration/" in link
    assert registration.access_token_hash == hash_token(new_token)
    assert (
        client.get(f"/en/registration/{registered.access_token}/", follow=True).status_code == 404
    )
    assert client.get(f"/en/registration/{new_token}/", follow=True).status_code == 200


def test_unknown_address_gets_the_same_answer_and_no_e_mail(
    client, congress, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, congress, "nobody@example.org")

    assert messages_of(response) == [SAME_ANSWER]
    assert mail.outbox == []


def test_lost_link_is_rate_limited_per_client(client, congress, settings):
    settings.LOST_LINK_RATE_LIMIT = "2/900"

    answers = [
        client.post(
            f"/en/congresses/{congress.slug}/register/lost-link/", {"email": f"{n}@example.org"}
        ).status_code
        for n in range(3)
    ]

    assert answers == [302, 302, 429]


def test_head_of_delegation_gets_the_delegation_link_again(
    client, congress, django_capture_on_commit_callbacks
):
    from tests.factories.members import OrganisationFactory

    result = services.register_group(
        congress=congress,
        category=RegistrationCategoryFactory(congress=congress),
        organisation=OrganisationFactory(),
        contact=services.RegistrantDetails(email="head@example.org", name="Head"),
        delegates=[services.RegistrantDetails(email="d@example.org", name="D", country="FR")],
        payment_method="transfer",
        send_email=False,
    )

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, congress, "head@example.org")

    (message,) = mail.outbox
    assert message.to == ["head@example.org"]
    assert client.get(f"/en/delegation/{result.access_token}/", follow=True).status_code == 404


def test_organiser_resends_the_link_from_the_registration_page(
    client, congress, registered, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/congresses/{congress.slug}/registrations/{registered.registration.pk}"
            "/resend-link/",
            follow=True,
        )

    (message,) = mail.outbox
    assert messages_of(response) == ["A new private link has been e-mailed to the registrant."]
    assert message.to == ["Lina@example.org"]
    assert (
        client.get(f"/en/registration/{registered.access_token}/", follow=True).status_code == 404
    )


def test_registering_again_points_to_the_lost_link_page(client, congress, registered):
    category = Registration.objects.get().category

    response = client.post(
        f"/en/congresses/{congress.slug}/register/",
        {
            "category": category.pk,
            "name": "Lina",
            "email": "lina@example.org",
            "country": "FR",
            "language": "fr",
            "list_visibility": "nowhere",
            "payment_method": "transfer",
            "consent": "on",
        },
    )

    page = response.content.decode()
    assert response.context["form"].non_field_errors() == [
        "This e-mail address is already registered for this congress. Use the private link in "
        "your confirmation e-mail, or ask for it again with “Send me my private link”."
    ]
    assert f'href="/en/congresses/{congress.slug}/register/lost-link/"' in page
