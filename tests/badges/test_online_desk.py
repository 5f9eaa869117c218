"""Remote participants (online categories) at the check-in desk and the badge printer: no
manual or desk check-in on site and no reprint until an organiser moves them to a category
on site; found by search with "registered for online participation"; no badge in a print
preview. Their own badge (the QR of their private page) still renders."""

import io

import pypdf
import pytest

from badges.models import CheckIn
from registrations.self_service import issue_access_token
from registrations.services import move_registration
from tests.factories.badges import CredentialFactory
from tests.factories.registrations import RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
REFUSAL = (
    "Registered for online participation: no badge is printed and no on-site check-in is "
    "possible. An organiser must first move them to an on-site category."
)


@pytest.fixture
def remote(congress):
    """An online registrant with their badge (issued for the QR of their private page)."""
    return CredentialFactory(
        registration__congress=congress,
        registration__category__congress=congress,
        registration__category__is_online=True,
        registration__person__name="Rana Remote",
    ).registration


def checkin(token_client, user, congress, registration_id):
    return (
        token_client(user)
        .post(
            f"/api/v1/congresses/{congress.slug}/checkins/",
            {"registration": registration_id},
            format="json",
        )
        .json()
    )


def test_manual_checkin_of_online_registrant_is_refused_with_the_reason(
    token_client, checkin_staff, congress, remote
):
    body = checkin(token_client, checkin_staff, congress, remote.pk)

    assert (body["result"], body["reason"], body["registration"]["is_online"]) == (
        "not_allowed",
        "online_participant",
        True,
    )
    assert CheckIn.objects.count() == 0


def test_manual_checkin_after_move_to_an_on_site_category_is_admitted(
    token_client, checkin_staff, organiser, congress, remote
):
    on_site = RegistrationCategoryFactory(congress=congress)
    move_registration(registration=remote, category=on_site, actor=organiser)

    body = checkin(token_client, checkin_staff, congress, remote.pk)

    assert (body["result"], body["reason"], body["registration"]["is_online"]) == (
        "ok",
        "",
        False,
    )
    assert CheckIn.objects.count() == 1


def test_desk_search_says_registered_for_online_participation(
    token_client, checkin_staff, congress, remote
):
    response = token_client(checkin_staff).get(
        f"/api/v1/congresses/{congress.slug}/checkins/search/?q=Rana"
    )

    assert [(row["name"], row["is_online"]) for row in response.json()["results"]] == [
        ("Rana Remote", True)
    ]


def test_checkin_page_translates_the_online_refusal(client, checkin_staff, congress):
    client.force_login(checkin_staff)

    response = client.get(f"/fr/checkin/{congress.slug}/desk/")

    assert response.context["reason_labels"]["online_participant"] == (
        "Inscrit pour une participation en ligne : un organisateur doit le passer dans une "
        "catégorie sur place avant l\u2019enregistrement"
    )


def test_badge_reprint_by_staff_of_online_registrant_is_refused(
    token_client, checkin_staff, remote
):
    response = token_client(checkin_staff).get(f"/api/v1/registrations/{remote.pk}/badge.pdf")

    assert (response.status_code, response.json()) == (
        409,
        {"code": "online_participant", "detail": REFUSAL},
    )


def test_own_badge_of_online_registrant_still_renders(api_client, remote):
    access = issue_access_token(registration=remote)

    response = api_client.get(
        f"/api/v1/registrations/{remote.pk}/badge.pdf?access={access}", follow=True
    )

    pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "Rana Remote" in pdf.pages[0].extract_text()


def test_print_preview_leaves_out_online_registrants(client, organiser, congress, remote):
    CredentialFactory(registration__congress=congress, registration__person__name="Omar OnSite")
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/badges/?preview=1")

    pdf = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert ("Omar OnSite" in text, "Rana Remote" in text) == (True, False)


@pytest.mark.django_db(transaction=True)  # as in production: no savepoints around the writes
def test_badge_scan_of_online_registrant_is_refused_and_costs_two_statements(
    token_client, checkin_staff, congress, remote, django_assert_num_queries
):
    client = token_client(checkin_staff)
    url = f"/api/v1/congresses/{congress.slug}/checkins/"
    client.post(url, {"token": "w" * 22}, format="json")  # creates the entrance
    client.post(url, {"token": "w" * 22}, format="json")  # caches the scanner's context
    token = remote.credentials.get().token

    with django_assert_num_queries(2):
        body = client.post(url, {"token": token}, format="json").json()

    assert (body["result"], body["reason"], body["registration"]["is_online"]) == (
        "not_allowed",
        "online_participant",
        True,
    )
    assert CheckIn.objects.count() == 0


def test_offline_list_does_not_admit_online_registrants(congress, remote):
    from badges.services import offline_token_list
    from badges.services.credentials import entrance_checkpoint

    on_site = CredentialFactory(registration__congress=congress)

    entries = offline_token_list(
        congress=congress, checkpoint=entrance_checkpoint(congress=congress)
    )["entries"]

    assert sorted((entry["a"], entry["s"]) for entry in entries) == [
        (False, "active"),
        (True, "active"),
    ]
    assert on_site.registration.category.is_online is False
