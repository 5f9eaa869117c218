"""A congress's team: who holds which role, e-mailed invitations and their one-time links.

An organiser invites an address to one or more roles (organiser, reviewer, check-in staff,
visa officer, data protection). The e-mail carries a one-time link; only its SHA-256 is
stored and it expires after INVITATION_DAYS. Accepting grants the roles through
`grant_congress_role` (audited, and announced so a reviewer is assignable at once): to a new
account whose password the invitee sets on the link's page, or to the existing account of
that address (the invitee signs in first).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.mail import send_templated_email
from common.tokens import hash_token, make_token
from congress.exceptions import InvitationInvalid, UnknownRole, WrongAccount
from congress.models import Congress, CongressRole, TeamInvitation
from congress.services import grant_congress_role, record_audit

INVITATION_DAYS = 14
Role = CongressRole.Role


@dataclass
class TeamMember:
    user: AbstractBaseUser
    roles: list[str] = field(default_factory=list)

    @property
    def role_pairs(self) -> list[tuple[str, str]]:
        """(code, translated label) of each role, for the revoke buttons."""
        return [(role, Role(role).label) for role in self.roles]


def team_members(*, congress: Congress) -> list[TeamMember]:
    """Everyone holding a role in `congress`, with their roles (one query)."""
    members: dict[int, TeamMember] = {}
    for congress_role in (
        CongressRole.objects.filter(congress=congress)
        .select_related("user")
        .order_by("user__username", "role")
    ):
        member = members.setdefault(congress_role.user_id, TeamMember(user=congress_role.user))
        member.roles.append(congress_role.role)
    return list(members.values())


def pending_invitations(*, congress: Congress, now: datetime.datetime | None = None):
    now = now or timezone.now()
    return TeamInvitation.objects.filter(
        congress=congress, accepted_at=None, cancelled_at=None, expires_at__gt=now
    ).select_related("invited_by")


def invite_to_team(
    *,
    congress: Congress,
    email: str,
    roles: list[str],
    language: str,
    invited_by: AbstractBaseUser | None,
    accept_url_base: str = "",
    now: datetime.datetime | None = None,
) -> tuple[TeamInvitation, str]:
    """Invite `email` to `roles` in `congress` and e-mail the one-time link (on commit).

    Returns the invitation and the clear token (only the hash is stored). `accept_url_base`
    is the site's origin ("https://congress.example.org") for the link in the e-mail.
    Raises UnknownRole for a role that does not exist. Audited ("team.invited", without the
    address).
    """
    roles = [role for role in Role.values if role in set(roles)]
    if not roles:
        raise UnknownRole()
    now = now or timezone.now()
    token = make_token()
    with transaction.atomic():
        invitation = TeamInvitation.objects.create(
            congress=congress,
            email=email.strip(),
            roles=roles,
            language=language,
            token_hash=hash_token(token),
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
            invited_by=invited_by,
        )
        record_audit(
            action="team.invited",
            congress=congress,
            actor=invited_by,
            target=invitation,
            detail={"roles": roles},
        )
        link = accept_url_base + reverse("congress:team_accept_link", kwargs={"token": token})
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, token


def _send_invitation(invitation: TeamInvitation, link: str) -> None:
    send_templated_email(
        to=invitation.email,
        template="congress/email/team_invitation",
        context={
            "congress": invitation.congress,
            "roles": [Role(role).label for role in invitation.roles],
            "link": link,
            "expires_at": invitation.expires_at,
            "inviter": invitation.invited_by.get_username() if invitation.invited_by else "",
        },
        language=invitation.language,
        time_zone=invitation.congress.tzinfo,
    )


def invitation_for_token(
    token: str, *, now: datetime.datetime | None = None, lock: bool = False
) -> TeamInvitation:
    """The open invitation of this link, or InvitationInvalid (unknown, used, cancelled,
    expired)."""
    now = now or timezone.now()
    queryset = TeamInvitation.objects.select_related("congress")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=hash_token(token or "")).first()
    if (
        invitation is None
        or invitation.accepted_at is not None
        or invitation.cancelled_at is not None
        or invitation.expires_at <= now
    ):
        raise InvitationInvalid()
    return invitation


def account_for_invitation(invitation: TeamInvitation) -> AbstractBaseUser | None:
    """The existing account of the invited address, if there is one."""
    return (
        get_user_model()
        .objects.filter(email__iexact=invitation.email, is_active=True)
        .order_by("pk")
        .first()
    )


def accept_invitation(
    *,
    token: str,
    user: AbstractBaseUser | None = None,
    password: str = "",
    now: datetime.datetime | None = None,
) -> AbstractBaseUser:
    """Accept the invitation of `token` and grant its roles; returns the account.

    With `user` (signed in), the roles go to that account, which must have the invited
    address (else WrongAccount). Without, a new account is made for the address with
    `password` (the form validated it). The link works once: the invitation row is locked
    and marked accepted in the same transaction. Raises InvitationInvalid.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = invitation_for_token(token, now=now, lock=True)
        if user is not None:
            if (user.email or "").casefold() != invitation.email.casefold():
                raise WrongAccount()
        else:
            if account_for_invitation(invitation) is not None:
                raise WrongAccount()
            user = get_user_model().objects.create_user(
                username=_free_username(invitation.email),
                email=invitation.email,
                password=password,
            )
        for role in invitation.roles:
            grant_congress_role(
                congress=invitation.congress, user=user, role=role, granted_by=invitation.invited_by
            )
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_audit(
            action="team.invitation_accepted",
            congress=invitation.congress,
            actor=user,
            target=invitation,
            detail={"roles": invitation.roles, "user_id": user.pk},
        )
    return user


def _free_username(email: str) -> str:
    """The address itself as username (what people remember), made unique if taken."""
    user_model = get_user_model()
    base = email.strip().lower()[:140]
    candidate, number = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def cancel_invitation(
    *, invitation: TeamInvitation, cancelled_by: AbstractBaseUser | None
) -> TeamInvitation:
    """Cancel an open invitation: its link stops working. Audited ("team.invitation_cancelled")."""
    with transaction.atomic():
        invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is None and invitation.cancelled_at is None:
            invitation.cancelled_at = timezone.now()
            invitation.save(update_fields=["cancelled_at"])
            record_audit(
                action="team.invitation_cancelled",
                congress=invitation.congress,
                actor=cancelled_by,
                target=invitation,
            )
    return invitation
