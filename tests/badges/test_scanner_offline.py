"""The offline-first scanner's server side: service worker, manifest, offline list."""

import json
import re

import pytest
from django.urls import reverse

from badges.services import hash_token_for_offline, record_scan, revoke_credentials
from tests.factories.badges import CheckpointFactory, CredentialFactory

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_under_the_scanner_with_its_assets(client):
    response = client.get(reverse("badges:scanner_service_worker"))

    body = response.content.decode()
    assets = json.loads(re.search(r"var ASSETS = (\[.*?\]);", body).group(1))
    assert (response.status_code, response["Content-Type"]) == (200, "application/javascript")
    assert reverse("badges:scanner_service_worker") == "/en/checkin/sw.js"
    assert assets == [
        "/static/css/site.css",
        "/static/badges/badges.css",
        "/static/badges/sha256.js",
        "/static/badges/checkin.js",
        "/static/badges/scanner-device.js",
        "/static/badges/vendor/jsQR-1.4.0.js",
        "/static/badges/scanner-icon.svg",
    ]
    statuses = []
    for url in assets:
        asset = client.get(url)
        statuses.append(asset.status_code)
        asset.close()
    assert statuses == [200] * len(assets)


def test_manifest_starts_the_installed_app_on_the_scanner(client):
    body = client.get(reverse("badges:scanner_manifest")).json()

    assert (body["start_url"], body["scope"], body["display"]) == (
        "/en/checkin/",
        "/en/checkin/",
        "standalone",
    )


def test_offline_list_marks_revoked_badges_and_who_is_inside(congress, checkin_staff, token_client):
    entrance = CheckpointFactory(congress=congress)
    inside = CredentialFactory(registration__congress=congress)
    outside = CredentialFactory(registration__congress=congress)
    revoked = CredentialFactory(registration__congress=congress)
    record_scan(congress=congress, checkpoint=entrance, token=inside.token)
    revoke_credentials(registration=revoked.registration, reason="banned: security incident")

    body = (
        token_client(checkin_staff)
        .get(f"/api/v1/congresses/{congress.slug}/checkins/offline-list/?checkpoint={entrance.pk}")
        .json()
    )

    entries = {entry["h"]: (entry["s"], entry["a"], entry["i"]) for entry in body["entries"]}
    salt = body["salt"]
    assert entries == {
        hash_token_for_offline(salt=salt, token=inside.token): ("active", True, True),
        hash_token_for_offline(salt=salt, token=outside.token): ("active", True, False),
        hash_token_for_offline(salt=salt, token=revoked.token): ("revoked", True, False),
    }


def _offline_names(client, congress, checkpoint) -> tuple[dict[str, str | None], str]:
    body = client.get(
        f"/api/v1/congresses/{congress.slug}/checkins/offline-list/?checkpoint={checkpoint.pk}"
    ).json()
    return {entry["h"]: entry.get("n") for entry in body["entries"]}, body["salt"]


def test_offline_list_carries_no_names_by_default(congress, checkin_staff, token_client):
    entrance = CheckpointFactory(congress=congress)
    badge = CredentialFactory(
        registration__congress=congress, registration__person__name="Amina Haddad"
    )

    names, salt = _offline_names(token_client(checkin_staff), congress, entrance)

    assert names == {hash_token_for_offline(salt=salt, token=badge.token): None}


def test_offline_list_carries_door_names_where_the_organiser_allows(
    congress, checkin_staff, token_client
):
    entrance = CheckpointFactory(congress=congress, offline_list_shows_names=True)
    badge = CredentialFactory(
        registration__congress=congress, registration__person__name="Amina Haddad"
    )
    protected = CredentialFactory(
        registration__congress=congress,
        registration__person__name="Legal Name",
        registration__is_protected=True,
        registration__badge_display_name="Amina H.",
    )

    names, salt = _offline_names(token_client(checkin_staff), congress, entrance)

    assert names == {
        hash_token_for_offline(salt=salt, token=badge.token): "Amina Haddad",
        hash_token_for_offline(salt=salt, token=protected.token): "Amina H.",
    }
