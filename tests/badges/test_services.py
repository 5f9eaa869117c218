import datetime
import threading
import uuid

import pytest
import time_machine
from django.core import mail
from django.db import connection

from badges.exceptions import ScanRateLimited
from badges.models import CheckIn, Checkpoint, Credential, Scan
from badges.services import (
    check_scan_rate,
    entrance_checkpoint,
    issue_credential,
    record_scan,
    record_scan_batch,
    sync_session_checkpoint,
)
from registrations.models import Registration
from registrations.signals import registration_cancelled, registration_confirmed
from sessions.models import Session
from sessions.services import save_session
from sessions.signals import session_saved
from tests.factories.badges import CredentialFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSignupFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 6, 15, 9, 0, tzinfo=datetime.UTC)


def test_issue_credential_twice_revokes_previous_token():
    registration = RegistrationFactory()
    first = issue_credential(registration=registration)

    second = issue_credential(registration=registration)

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None
    assert len(second.token) >= 22
    assert str(registration.pk) != second.token


def test_registration_confirmed_signal_issues_credential_and_mails_badge(
    django_capture_on_commit_callbacks,
):
    registration = RegistrationFactory(person__email="amal@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        registration_confirmed.send(sender=Registration, registration=registration)

    assert (
        Credential.objects.filter(registration=registration, revoked_at__isnull=True).count() == 1
    )
    assert [message.to for message in mail.outbox] == [["amal@example.org"]]
    assert mail.outbox[0].attachments[0][0] == "badge.pdf"


def test_registration_cancelled_signal_revokes_credential():
    credential = CredentialFactory()

    registration_cancelled.send(sender=Registration, registration=credential.registration)

    credential.refresh_from_db()
    assert credential.revoked_reason == "registration_cancelled"


def _checkpoint_rows():
    return list(Checkpoint.objects.values_list("session__title", "kind", "name", "is_active"))


def test_save_session_makes_its_checkpoint_only_after_commit(
    congress, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        save_session(
            session=SessionFactory.build(
                congress=congress, requires_signup=True, title="Drug policy training"
            )
        )
    before_commit = _checkpoint_rows()
    for callback in callbacks:
        callback()

    assert before_commit == []
    assert _checkpoint_rows() == [("Drug policy training", "session", "Drug policy training", True)]


def test_session_saved_outside_the_programme_service_gets_no_checkpoint(congress):
    SessionFactory(congress=congress, requires_signup=True)

    assert _checkpoint_rows() == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": "Mental illness"}, ("Mental illness", "session", "Mental illness", True)),
        ({"status": Session.Status.CANCELLED}, ("Drugs", "session", "Drugs", False)),
        ({"requires_signup": False}, ("Drugs", "session", "Drugs", False)),
    ],
)
def test_save_session_change_updates_or_closes_its_checkpoint(
    congress, django_capture_on_commit_callbacks, change, expected
):
    session = SessionFactory(congress=congress, requires_signup=True, title="Drugs")
    sync_session_checkpoint(session=session)
    for field, value in change.items():
        setattr(session, field, value)

    with django_capture_on_commit_callbacks(execute=True):
        save_session(session=session)

    assert _checkpoint_rows() == [expected]


def test_save_session_reinstated_reopens_its_checkpoint(
    congress, django_capture_on_commit_callbacks
):
    session = SessionFactory(
        congress=congress, requires_signup=True, title="Drugs", status=Session.Status.CANCELLED
    )
    Checkpoint.objects.create(
        congress=congress, kind="session", name="Drugs", session=session, is_active=False
    )
    session.status = Session.Status.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        save_session(session=session)

    assert _checkpoint_rows() == [("Drugs", "session", "Drugs", True)]


@pytest.mark.parametrize(("requires_signup", "expected"), [(True, 1), (False, 0)])
def test_session_saved_signal_gives_only_signup_sessions_a_checkpoint(
    congress, requires_signup, expected
):
    session = SessionFactory(congress=congress, requires_signup=requires_signup, title="Drugs")

    session_saved.send(sender=Session, session=session, created=True)

    assert _checkpoint_rows() == [("Drugs", "session", "Drugs", True)] * expected


def test_record_scan_at_closed_session_checkpoint_is_not_allowed(congress):
    signup = SessionSignupFactory(session__congress=congress, session__requires_signup=True)
    checkpoint = sync_session_checkpoint(session=signup.session)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(is_active=False)
    checkpoint.refresh_from_db()
    credential = CredentialFactory(registration=signup.registration)

    outcome = record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)

    assert (outcome.result, outcome.reason) == ("not_allowed", "checkpoint_closed")
    assert CheckIn.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_record_scan_twice_is_already_checked_in_with_first_time(congress):
    credential = CredentialFactory(registration__congress=congress)
    record_scan(congress=congress, token=credential.token)

    outcome = record_scan(congress=congress, token=credential.token)

    assert outcome.result == "already_checked_in"
    assert outcome.first_checked_in_at == NOW
    assert CheckIn.objects.count() == 1
    assert Scan.objects.count() == 2


@pytest.mark.parametrize("token", ["", "x", "' OR 1=1 --", "a" * 500, "ÄÖÜ" * 10, "A" * 22])
def test_record_scan_garbage_token_is_invalid_and_logged(congress, token):
    outcome = record_scan(congress=congress, token=token)

    assert (outcome.result, outcome.reason) == ("invalid", "unknown_token")
    assert Scan.objects.get().result == "invalid"


def test_record_scan_revoked_token_is_revoked(congress):
    old = CredentialFactory(registration__congress=congress)
    issue_credential(registration=old.registration)

    outcome = record_scan(congress=congress, token=old.token)

    assert (outcome.result, outcome.reason) == ("revoked", "reissued")


def test_record_scan_badge_of_other_congress_is_invalid(congress, other_congress):
    foreign = CredentialFactory(registration__congress=other_congress)

    outcome = record_scan(congress=congress, token=foreign.token)

    assert outcome.result == "invalid"
    assert CheckIn.objects.count() == 0


def test_record_scan_session_without_signup_is_not_allowed(congress):
    session = SessionFactory(congress=congress, requires_signup=True)
    checkpoint = sync_session_checkpoint(session=session)
    credential = CredentialFactory(registration__congress=congress)

    outcome = record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)

    assert (outcome.result, outcome.reason) == ("not_allowed", "not_signed_up")


def test_record_scan_session_with_seated_signup_is_ok(congress):
    signup = SessionSignupFactory(session__congress=congress, session__requires_signup=True)
    checkpoint = sync_session_checkpoint(session=signup.session)
    credential = CredentialFactory(registration=signup.registration)

    outcome = record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)

    assert outcome.result == "ok"


def test_record_scan_session_open_to_all_admits_without_signup(congress):
    session = SessionFactory(congress=congress, requires_signup=True)
    sync_session_checkpoint(session=session)
    Checkpoint.objects.filter(session=session).update(is_open_to_all=True)
    credential = CredentialFactory(registration__congress=congress)

    outcome = record_scan(
        congress=congress,
        checkpoint=Checkpoint.objects.get(session=session),
        token=credential.token,
    )

    assert outcome.result == "ok"


@time_machine.travel(NOW, tick=False)
def test_record_scan_exit_then_entry_counts_inside_now(congress):
    credential = CredentialFactory(registration__congress=congress)
    record_scan(congress=congress, token=credential.token)

    exit_outcome = record_scan(congress=congress, token=credential.token, direction="exit")
    entry_outcome = record_scan(congress=congress, token=credential.token)

    assert (exit_outcome.result, exit_outcome.reason, exit_outcome.inside_now) == (
        "ok",
        "checked_out",
        0,
    )
    assert (entry_outcome.result, entry_outcome.reason, entry_outcome.inside_now) == (
        "ok",
        "re_entry",
        1,
    )


@time_machine.travel(NOW, tick=False)
def test_record_scan_batch_replayed_twice_changes_nothing_second_time(congress):
    credential = CredentialFactory(registration__congress=congress)
    revoked = CredentialFactory(registration__congress=congress)
    issue_credential(registration=revoked.registration)
    scans = [
        {
            "token": credential.token,
            "scan_id": uuid.uuid4(),
            "offline_result": "ok",
            "scanned_at": NOW - datetime.timedelta(minutes=5),
        },
        {
            "token": revoked.token,
            "scan_id": uuid.uuid4(),
            "offline_result": "ok",
            "scanned_at": NOW - datetime.timedelta(minutes=4),
        },
    ]
    first = record_scan_batch(congress=congress, scans=scans, checkpoints={})

    second = record_scan_batch(congress=congress, scans=scans, checkpoints={})

    assert [(item.outcome.result, item.conflict) for item in first] == [
        ("ok", False),
        ("revoked", True),
    ]
    assert [item.outcome.replayed for item in second] == [True, True]
    assert [item.outcome.result for item in second] == ["ok", "revoked"]
    assert Scan.objects.count() == 2
    assert CheckIn.objects.get().checked_in_at == NOW - datetime.timedelta(minutes=5)


def test_check_scan_rate_past_limit_raises(settings):
    settings.BADGES_SCANS_PER_MINUTE = 3
    device = f"device-{uuid.uuid4()}"
    for _ in range(3):
        check_scan_rate(device_key=device)

    with pytest.raises(ScanRateLimited):
        check_scan_rate(device_key=device)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_record_scan_two_doors_same_instant_record_one_checkin():
    credential = CredentialFactory()
    congress = credential.registration.congress
    checkpoint = entrance_checkpoint(congress=congress)
    doors = 8
    barrier = threading.Barrier(doors)
    results = []

    def door():
        try:
            barrier.wait()
            results.append(
                record_scan(congress=congress, checkpoint=checkpoint, token=credential.token).result
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=door) for _ in range(doors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["already_checked_in"] * (doors - 1) + ["ok"]
    assert CheckIn.objects.filter(credential=credential).count() == 1
    assert Scan.objects.filter(credential=credential).count() == doors


def test_issue_credentials_for_congress_issues_to_every_confirmed_registration_without_one(
    congress,
):
    from badges.services import issue_credentials_for_congress

    without = RegistrationFactory(congress=congress)
    revoked_only = RegistrationFactory(congress=congress)
    CredentialFactory(
        registration=revoked_only, revoked_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    )
    already = CredentialFactory(registration__congress=congress)
    RegistrationFactory(congress=congress, status=Registration.Status.PENDING_PAYMENT)

    issued = issue_credentials_for_congress(congress=congress)

    assert issued == 2
    active = Credential.objects.filter(revoked_at__isnull=True)
    assert sorted(active.values_list("registration_id", flat=True)) == sorted(
        [without.pk, revoked_only.pk, already.registration_id]
    )


def test_issue_credentials_for_congress_gives_an_erased_person_no_new_badge(congress):
    from badges.services import issue_credentials_for_congress
    from privacy.erasure import erase_person

    erased = CredentialFactory(registration__congress=congress).registration
    erase_person(person=erased.person, actor=None)

    issued = issue_credentials_for_congress(congress=congress)

    assert (issued, Credential.objects.filter(revoked_at__isnull=True).count()) == (0, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_record_scan_two_doors_exit_at_once_check_out_once():
    credential = CredentialFactory()
    congress = credential.registration.congress
    checkpoint = entrance_checkpoint(congress=congress)
    record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)
    doors = 8

    def exit_scan():
        return record_scan(
            congress=congress, checkpoint=checkpoint, token=credential.token, direction="exit"
        )

    barrier = threading.Barrier(doors)
    reasons = []

    def door():
        try:
            barrier.wait()
            reasons.append(exit_scan().reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=door) for _ in range(doors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(reasons) == ["already_checked_out"] * (doors - 1) + ["checked_out"]
    assert Scan.objects.filter(credential=credential, reason="checked_out").count() == 1
    assert CheckIn.objects.get(credential=credential).checked_out_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_record_scan_two_doors_re_entry_at_once_reopen_once():
    credential = CredentialFactory()
    congress = credential.registration.congress
    checkpoint = entrance_checkpoint(congress=congress)
    record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)
    record_scan(congress=congress, checkpoint=checkpoint, token=credential.token, direction="exit")
    doors = 8
    barrier = threading.Barrier(doors)
    outcomes = []

    def door():
        try:
            barrier.wait()
            outcome = record_scan(congress=congress, checkpoint=checkpoint, token=credential.token)
            outcomes.append((outcome.result, outcome.reason))
        finally:
            connection.close()

    threads = [threading.Thread(target=door) for _ in range(doors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [("already_checked_in", "")] * (doors - 1) + [("ok", "re_entry")]
    assert CheckIn.objects.get(credential=credential).checked_out_at is None
