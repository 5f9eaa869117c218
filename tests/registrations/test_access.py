"""Hidden and invitation-only registration categories (issue 13)."""

import pytest
from rest_framework.test import APIClient

from common.tokens import hash_token
from congress.models import AuditEvent
from registrations import services
from registrations.exceptions import CategoryNotAvailable, InvalidInvitation
from registrations.models import CategoryInvitation, Registration, RegistrationCategory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
Kind = RegistrationCategory.Kind
Access = RegistrationCategory.Access


def details(email="ines@example.org"):
    return services.RegistrantDetails(email=email, name="Inès Laurent", country="FR")


def form_data(category, **extra):
    return {
        "category": category.pk,
        "name": "Inès Laurent",
        "email": "ines@example.org",
        "country": "FR",
        "language": "fr",
        "list_visibility": "nowhere",
        "payment_method": "transfer",
        "consent": "on",
        **extra,
    }


@pytest.fixture
def participant(congress):
    category = RegistrationCategoryFactory(congress=congress, code="participant", name="Open")
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


@pytest.mark.parametrize("kind", [Kind.STAFF, Kind.SPEAKER])
def test_register_participant_as_staff_or_speaker_without_invitation_is_refused(congress, kind):
    category = RegistrationCategoryFactory(congress=congress, kind=kind)

    with pytest.raises(CategoryNotAvailable) as caught:
        services.register_participant(
            congress=congress, category=category, details=details(), send_email=False
        )

    assert str(caught.value) == (
        "This category is open only with an access code or a personal invitation from the "
        "organisers."
    )
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("kind", [Kind.STAFF, Kind.SPEAKER])
def test_api_registration_as_staff_or_speaker_is_refused(congress, kind):
    RegistrationCategoryFactory(congress=congress, kind=kind, code="team")

    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "team", "email": "x@example.org", "name": "X"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "category_not_available"
    assert Registration.objects.count() == 0


def test_register_page_lists_only_public_categories(client, congress, participant):
    RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF, name="Team")
    RegistrationCategoryFactory(
        congress=congress, name="Donors", access=Access.ACCESS_CODE, access_code="GIVE"
    )
    RegistrationCategoryFactory(congress=congress, name="Guests", access=Access.INVITATION)
    RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF, name="Helpers", access="public")

    response = client.get(f"/en/congresses/{congress.slug}/register/")

    choices = [label for _value, label in response.context["form"].fields["category"].choices]
    assert choices == ["---------", "Helpers", "Open"]


def test_register_page_posting_a_staff_category_is_refused_as_not_a_choice(
    client, congress, participant
):
    staff = RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF)

    response = client.post(f"/en/congresses/{congress.slug}/register/", form_data(staff))

    assert response.status_code == 200
    assert response.context["form"].errors["category"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Registration.objects.count() == 0


def test_hidden_category_with_its_access_code_registers(client, congress, participant):
    hidden = RegistrationCategoryFactory(
        congress=congress, name="Donors", access=Access.ACCESS_CODE, access_code="give-2027"
    )

    listed = client.get(f"/en/congresses/{congress.slug}/register/?code=GIVE-2027")
    response = client.post(
        f"/en/congresses/{congress.slug}/register/",
        form_data(hidden, access_code="give-2027"),
    )

    choices = [label for _value, label in listed.context["form"].fields["category"].choices]
    assert choices == ["---------", "Donors", "Open"]
    assert response.status_code == 302
    assert Registration.objects.get().category == hidden


def test_hidden_category_with_a_wrong_access_code_is_refused(congress):
    hidden = RegistrationCategoryFactory(
        congress=congress, access=Access.ACCESS_CODE, access_code="GIVE"
    )

    with pytest.raises(CategoryNotAvailable):
        services.register_participant(
            congress=congress,
            category=hidden,
            details=details(),
            access_code="TAKE",
            send_email=False,
        )

    assert Registration.objects.count() == 0


def test_invitation_link_registers_once_then_is_refused(client, congress, organiser):
    staff = RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF, name="Staff")
    invitation, token = services.create_invitation(category=staff, note="Inès", actor=organiser)
    url = f"/en/congresses/{congress.slug}/register/invitation/{token}/"

    page = client.get(url, follow=True)
    first = client.post(url, form_data(staff))
    second = client.post(url, form_data(staff, email="other@example.org"))

    choices = [label for _value, label in page.context["form"].fields["category"].choices]
    assert choices == ["---------", "Staff"]
    assert first.status_code == 302
    registration = Registration.objects.get()
    assert (registration.category, registration.status) == (staff, Registration.Status.CONFIRMED)
    invitation.refresh_from_db()
    assert invitation.registration == registration
    assert invitation.token_hash == hash_token(token)
    assert second.status_code == 404
    assert "This invitation link is not valid" in second.content.decode()
    assert Registration.objects.count() == 1


def test_invitation_token_for_another_category_is_refused(congress, organiser):
    staff = RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF)
    speakers = RegistrationCategoryFactory(congress=congress, kind=Kind.SPEAKER)
    _invitation, token = services.create_invitation(category=staff, actor=organiser)

    with pytest.raises(InvalidInvitation):
        services.register_participant(
            congress=congress,
            category=speakers,
            details=details(),
            invitation_token=token,
            send_email=False,
        )

    assert Registration.objects.count() == 0


def test_api_registration_with_invitation_token_registers(congress, organiser):
    RegistrationCategoryFactory(congress=congress, kind=Kind.SPEAKER, code="speaker")
    speakers = RegistrationCategory.objects.get(code="speaker")
    _invitation, token = services.create_invitation(category=speakers, actor=organiser)

    response = APIClient().post(
        f"/api/v1/congresses/{congress.slug}/registrations/",
        {"category": "speaker", "email": "s@example.org", "name": "S", "invitation": token},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"


def test_organiser_invitations_page_shows_the_link_once_and_stores_its_hash(
    client, congress, organiser
):
    staff = RegistrationCategoryFactory(congress=congress, kind=Kind.STAFF, name="Staff")
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/invitations/",
        {"category": staff.pk, "note": "Volunteer lead"},
    )
    again = client.get(f"/en/congresses/{congress.slug}/registrations/invitations/")

    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = CategoryInvitation.objects.get()
    assert link == f"http://testserver/en/congresses/{congress.slug}/register/invitation/{token}/"
    assert invitation.token_hash == hash_token(token)
    assert token not in again.content.decode()
    assert "Volunteer lead" in again.content.decode()
    assert AuditEvent.objects.filter(action="registration.invitation_created").count() == 1


def test_invitations_page_is_not_found_for_someone_without_the_organiser_role(
    client, congress, reviewer
):
    client.force_login(reviewer)

    response = client.get(f"/en/congresses/{congress.slug}/registrations/invitations/")

    assert response.status_code == 404
