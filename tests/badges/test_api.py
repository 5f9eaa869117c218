import pytest

from badges.models import CheckIn, Checkpoint
from congress.models import CongressRole
from registrations.self_service import issue_access_token
from tests.factories.badges import CheckpointFactory, CredentialFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_checkin_api_staff_scan_returns_ok_with_person(congress, checkin_staff, token_client):
    credential = CredentialFactory(
        registration__congress=congress, registration__person__name="Amal Haddad"
    )

    response = token_client(checkin_staff).post(
        f"/api/v1/congresses/{congress.slug}/checkins/", {"token": credential.token}, format="json"
    )

    body = response.json()
    assert (response.status_code, body["result"]) == (200, "ok")
    assert body["registration"]["name"] == "Amal Haddad"
    assert body["inside_now"] == 1


def test_checkin_api_staff_of_other_congress_is_refused(
    congress, other_congress, checkin_staff, token_client
):
    credential = CredentialFactory(registration__congress=other_congress)

    response = token_client(checkin_staff).post(
        f"/api/v1/congresses/{other_congress.slug}/checkins/",
        {"token": credential.token},
        format="json",
    )

    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_checkin_api_protected_participant_shows_only_badge_name(
    congress, checkin_staff, token_client
):
    credential = CredentialFactory(
        registration__congress=congress,
        registration__is_protected=True,
        registration__badge_display_name="Sami",
        registration__person__name="Legal Name",
    )

    body = (
        token_client(checkin_staff)
        .post(
            f"/api/v1/congresses/{congress.slug}/checkins/",
            {"token": credential.token},
            format="json",
        )
        .json()
    )

    assert (body["registration"]["name"], body["registration"]["organisation"]) == ("Sami", "")
    assert body["registration"]["latin_name"] == ""


def test_search_api_finds_protected_participant_only_by_badge_name(
    congress, checkin_staff, token_client
):
    RegistrationFactory(
        congress=congress, person__name="Nadia Legal", person__latin_name="Nadia Legal"
    )
    RegistrationFactory(
        congress=congress,
        person__name="Nadia Hidden",
        person__latin_name="Nadia Hidden",
        is_protected=True,
        badge_display_name="N. H.",
    )
    client = token_client(checkin_staff)

    by_name = client.get(f"/api/v1/congresses/{congress.slug}/checkins/search/?q=Nadia").json()
    by_badge = client.get(f"/api/v1/congresses/{congress.slug}/checkins/search/?q=N. H").json()

    assert [row["name"] for row in by_name["results"]] == ["Nadia Legal"]
    assert [row["name"] for row in by_badge["results"]] == ["N. H."]


def test_badge_pdf_with_own_access_link_is_pdf(api_client, congress):
    credential = CredentialFactory(registration__congress=congress)
    access = issue_access_token(registration=credential.registration)

    response = api_client.get(
        f"/api/v1/registrations/{credential.registration_id}/badge.pdf?access={access}",
        follow=True,
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_badge_pdf_with_someone_elses_access_link_is_not_found(api_client, congress):
    credential = CredentialFactory(registration__congress=congress)
    other = RegistrationFactory(congress=congress)
    access = issue_access_token(registration=other)

    response = api_client.get(
        f"/api/v1/registrations/{credential.registration_id}/badge.pdf?access={access}",
        follow=True,
    )

    assert response.status_code == 404


def test_badge_pdf_organiser_of_other_congress_is_forbidden(other_congress, token_client):
    credential = CredentialFactory()
    organiser = CongressRoleFactory(congress=other_congress, role=CongressRole.Role.ORGANISER).user

    response = token_client(organiser).get(
        f"/api/v1/registrations/{credential.registration_id}/badge.pdf"
    )

    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 4])
def test_checkpoint_list_query_count_is_flat(
    congress, checkin_staff, token_client, django_assert_num_queries, n
):
    CheckpointFactory(congress=congress)
    for index in range(n):
        CheckpointFactory(congress=congress, kind="session", name=f"Door {index}")
    client = token_client(checkin_staff)

    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/congresses/{congress.slug}/checkpoints/")

    assert len(response.json()) == n + 1


@pytest.mark.parametrize("n", [1, 4])
def test_scan_log_query_count_is_flat(
    congress, organiser, token_client, django_assert_num_queries, n
):
    for _ in range(n):
        credential = CredentialFactory(registration__congress=congress)
        token_client(organiser).post(
            f"/api/v1/congresses/{congress.slug}/checkins/",
            {"token": credential.token},
            format="json",
        )
    client = token_client(organiser)

    # token+user, congress, role check, count, page of scans, the audit row
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/congresses/{congress.slug}/scans/")

    assert response.json()["count"] == n


def test_offline_list_before_any_entrance_is_not_found_and_writes_nothing(
    congress, checkin_staff, token_client
):
    CredentialFactory(registration__congress=congress)

    response = token_client(checkin_staff).get(
        f"/api/v1/congresses/{congress.slug}/checkins/offline-list/"
    )

    assert response.status_code == 404
    assert list(Checkpoint.objects.all()) == []
