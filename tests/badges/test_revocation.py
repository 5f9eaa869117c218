"""Revocation everywhere: a revoked badge is refused by every path until an organiser lifts it."""

import pytest
from django.core import mail
from django.urls import reverse

from badges.exceptions import BadgeRevoked, NotRevoked, ReasonRequired
from badges.models import Credential, Scan
from badges.services import (
    ensure_credential,
    issue_credential,
    lift_revocation,
    record_scan,
    revoke_credentials,
)
from congress.models import AuditEvent
from registrations.models import Registration
from registrations.signals import registration_confirmed
from tests.factories.badges import CredentialFactory

pytestmark = pytest.mark.django_db

BANNED = "banned: security incident"


@pytest.fixture
def banned(congress):
    credential = CredentialFactory(registration__congress=congress)
    revoke_credentials(registration=credential.registration, reason=BANNED)
    return credential


def _active_tokens(registration) -> list[str]:
    return list(
        Credential.objects.filter(registration=registration, revoked_at__isnull=True).values_list(
            "token", flat=True
        )
    )


def test_manual_checkin_of_revoked_badge_is_refused_and_issues_no_badge(congress, banned):
    outcome = record_scan(congress=congress, registration_id=banned.registration_id)

    assert (outcome.result, outcome.reason) == ("revoked", BANNED)
    assert _active_tokens(banned.registration) == []
    assert Credential.objects.filter(registration=banned.registration).count() == 1


def test_manual_checkin_through_api_of_revoked_badge_is_refused(
    congress, banned, checkin_staff, token_client
):
    url = f"/api/v1/congresses/{congress.slug}/checkins/"

    body = (
        token_client(checkin_staff)
        .post(url, {"registration": banned.registration_id}, format="json")
        .json()
    )

    assert (body["result"], body["reason"]) == ("revoked", BANNED)
    assert _active_tokens(banned.registration) == []


def test_scan_of_revoked_token_is_refused(congress, banned):
    outcome = record_scan(congress=congress, token=banned.token)

    assert outcome.result == "revoked"


def test_reissue_of_revoked_badge_is_refused(banned):
    with pytest.raises(BadgeRevoked):
        issue_credential(registration=banned.registration)

    assert _active_tokens(banned.registration) == []


def test_ensure_credential_of_revoked_badge_raises_with_the_revoked_credential(banned):
    with pytest.raises(BadgeRevoked) as raised:
        ensure_credential(registration=banned.registration)

    assert raised.value.context["credential"].pk == banned.pk


def test_confirmation_signal_replayed_issues_no_badge_after_revocation(banned):
    registration_confirmed.send(sender=Registration, registration=banned.registration)

    assert _active_tokens(banned.registration) == []
    assert mail.outbox == []


def test_desk_badge_pdf_of_revoked_badge_is_refused(congress, banned, checkin_staff, token_client):
    response = token_client(checkin_staff).get(
        f"/api/v1/registrations/{banned.registration_id}/badge.pdf"
    )

    assert (response.status_code, response.json()["code"]) == (409, "no_active_credential")


def test_revocation_after_cancellation_does_not_hold_a_new_confirmation(congress):
    credential = CredentialFactory(registration__congress=congress)
    revoke_credentials(registration=credential.registration, reason="registration_cancelled")

    new, created = ensure_credential(registration=credential.registration)

    assert (created, _active_tokens(credential.registration)) == (True, [new.token])


def test_lift_revocation_restores_the_held_badge_and_audits(congress, banned, organiser):
    credential = lift_revocation(
        registration=banned.registration, reason="cleared by security", actor=organiser
    )

    outcome = record_scan(congress=congress, token=banned.token)
    event = AuditEvent.objects.get(action="badges.revocation_lifted")
    assert (credential.pk, outcome.result) == (banned.pk, "ok")
    assert (event.actor, event.detail) == (
        organiser,
        {
            "registration": banned.registration_id,
            "revoked_reason": BANNED,
            "reason": "cleared by security",
        },
    )


def test_lift_revocation_without_reason_is_refused(banned, organiser):
    with pytest.raises(ReasonRequired):
        lift_revocation(registration=banned.registration, reason="  ", actor=organiser)

    assert _active_tokens(banned.registration) == []


def test_lift_revocation_of_active_badge_is_refused(congress, organiser):
    credential = CredentialFactory(registration__congress=congress)

    with pytest.raises(NotRevoked):
        lift_revocation(registration=credential.registration, reason="why", actor=organiser)


def test_revocations_page_lifts_with_reason(client, congress, banned, organiser):
    client.force_login(organiser)
    url = reverse("badges:revocations", kwargs={"slug": congress.slug})

    client.post(
        url,
        {"action": "lift", "registration": banned.registration_id, "reason": "appeal upheld"},
    )

    page = client.get(url)
    assert list(page.context["held"]) == []
    assert _active_tokens(banned.registration) == [banned.token]


def test_revocations_page_revokes_with_reason_and_lists_it(client, congress, organiser):
    credential = CredentialFactory(
        registration__congress=congress, registration__person__name="Omar Khalil"
    )
    client.force_login(organiser)
    url = reverse("badges:revocations", kwargs={"slug": congress.slug})

    client.post(
        url, {"action": "revoke", "registration": credential.registration_id, "reason": BANNED}
    )

    page = client.get(url)
    assert [(item.pk, item.revoked_reason) for item in page.context["held"]] == [
        (credential.pk, BANNED)
    ]
    assert record_scan(congress=congress, token=credential.token).result == Scan.Result.REVOKED


def test_revocations_page_without_reason_changes_nothing(client, congress, organiser):
    credential = CredentialFactory(registration__congress=congress)
    client.force_login(organiser)
    url = reverse("badges:revocations", kwargs={"slug": congress.slug})

    response = client.post(
        url, {"action": "revoke", "registration": credential.registration_id, "reason": ""}
    )

    assert [str(message) for message in response.context["messages"]] == [
        "Give a reason: it is kept in the audit log."
    ]
    assert _active_tokens(credential.registration) == [credential.token]


def test_revocations_page_is_for_organisers_only(client, congress, checkin_staff):
    client.force_login(checkin_staff)

    response = client.get(reverse("badges:revocations", kwargs={"slug": congress.slug}))

    assert response.status_code == 404  # as every congress page: not theirs


@pytest.mark.parametrize("count", [1, 4])
def test_revocations_page_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for _ in range(count):
        credential = CredentialFactory(registration__congress=congress)
        revoke_credentials(registration=credential.registration, reason=BANNED)
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(reverse("badges:revocations", kwargs={"slug": congress.slug}))

    assert len(response.context["held"]) == count


def test_lift_revocation_of_an_erased_person_is_refused(congress, organiser):
    from privacy.erasure import erase_person

    credential = CredentialFactory(registration__congress=congress)
    erase_person(person=credential.registration.person, actor=None)

    with pytest.raises(NotRevoked) as raised:
        lift_revocation(registration=credential.registration, reason="mistake", actor=organiser)

    assert str(raised.value) == "An erased person's badge cannot be restored."
    assert _active_tokens(credential.registration) == []
