"""The door's cached token, role and checkpoints (badges.scan_cache, badges.api.authentication):
a change shows on the very next scan, not after the 30 s TTL."""

import pytest
from rest_framework.authtoken.models import Token

from badges.models import Checkpoint
from congress.models import CongressRole
from tests.factories.badges import CheckpointFactory, CredentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_and_url(congress, checkin_staff, token_client):
    client = token_client(checkin_staff)
    url = f"/api/v1/congresses/{congress.slug}/checkins/"
    client.post(url, {"token": "y" * 22}, format="json")  # creates the entrance
    client.post(url, {"token": "y" * 22}, format="json")  # caches token, role, entrance
    return client, url


def test_removed_role_is_refused_on_the_next_scan(congress, checkin_staff, client_and_url):
    client, url = client_and_url
    credential = CredentialFactory(registration__congress=congress)

    CongressRole.objects.filter(user=checkin_staff, congress=congress).delete()
    response = client.post(url, {"token": credential.token}, format="json")

    assert response.status_code == 403


def test_deleted_api_token_is_refused_on_the_next_scan(congress, checkin_staff, client_and_url):
    client, url = client_and_url

    Token.objects.filter(user=checkin_staff).delete()
    response = client.post(url, {"token": "y" * 22}, format="json")

    assert response.status_code == 401


def test_closed_session_door_refuses_on_the_next_scan(congress, client_and_url):
    client, url = client_and_url
    door = CheckpointFactory(congress=congress, kind="session", is_open_to_all=True)
    credential = CredentialFactory(registration__congress=congress)
    first = client.post(url, {"token": credential.token, "checkpoint": door.pk}, format="json")

    door.is_active = False
    door.save(update_fields=["is_active"])
    other = CredentialFactory(registration__congress=congress)
    second = client.post(url, {"token": other.token, "checkpoint": door.pk}, format="json")

    assert (first.json()["result"], second.json()["result"], second.json()["reason"]) == (
        "ok",
        "not_allowed",
        "checkpoint_closed",
    )


def test_renamed_entrance_shows_on_the_next_scan(congress, client_and_url):
    client, url = client_and_url
    entrance = Checkpoint.objects.get(congress=congress, kind="entrance")

    entrance.name = "Main gate"
    entrance.save(update_fields=["name"])
    body = client.post(url, {"token": "y" * 22}, format="json").json()

    assert body["checkpoint"] == {"id": entrance.pk, "name": "Main gate"}
