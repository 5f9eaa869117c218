"""Races of the team page against PostgreSQL: an invitation link used at the same instant by
several requests is accepted once (accept_invitation locks the invitation row)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.utils import timezone

from common.exceptions import DomainError
from congress.models import AuditEvent, CongressRole, TeamInvitation
from congress.services import record_audit
from congress.team import accept_invitation, invitation_for_token, invite_to_team
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REQUESTS = 6


def _race(function) -> list:
    barrier = threading.Barrier(REQUESTS)

    def run(_index):
        try:
            barrier.wait()
            return function(barrier)
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(run, range(REQUESTS)))


def _invitation():
    congress = CongressFactory()
    organiser = CongressRoleFactory(congress=congress).user
    invitee = UserFactory(email="invitee@example.org")
    _invitation, token = invite_to_team(
        congress=congress,
        email=invitee.email,
        roles=[CongressRole.Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    return invitee, token


def test_a_link_used_at_once_by_several_requests_is_accepted_once():
    invitee, token = _invitation()

    results = _race(lambda _barrier: accept_invitation(token=token, user=invitee))

    assert sorted(map(str, results)).count("invitation_invalid") == REQUESTS - 1
    assert AuditEvent.objects.filter(action="team.invitation_accepted").count() == 1


def _accept_without_lock(token: str, user, barrier: threading.Barrier) -> None:
    """The same check-then-write, without locking the invitation: the control experiment."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        barrier.wait()  # everybody has seen "not accepted yet" before anybody accepts
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        record_audit(action="team.invitation_accepted", congress=invitation.congress, actor=user)


def test_without_the_lock_the_link_is_accepted_several_times():
    invitee, token = _invitation()

    _race(lambda barrier: _accept_without_lock(token, invitee, barrier))

    assert AuditEvent.objects.filter(action="team.invitation_accepted").count() == REQUESTS
