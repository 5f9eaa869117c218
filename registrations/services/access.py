"""Who may register in a category: public categories for anyone, hidden ones with their
access code, invitation-only ones with a personal single-use invitation link."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from common.tokens import hash_token, make_token, tokens_match
from congress.services import record_audit
from registrations.exceptions import CategoryNotAvailable, InvalidInvitation
from registrations.models import CategoryInvitation, Registration, RegistrationCategory

Access = RegistrationCategory.Access


def access_code_matches(*, category: RegistrationCategory, access_code: str) -> bool:
    code = access_code.strip().upper()
    return bool(category.access_code and code) and tokens_match(code, category.access_code)


def locked_invitation(
    *, category: RegistrationCategory, token: str, now: datetime.datetime
) -> CategoryInvitation:
    """The unused, unexpired invitation to `category` carried by `token`, row-locked so it
    is used once. Raises InvalidInvitation."""
    if not token or len(token) > 128:
        raise InvalidInvitation()
    invitation = (
        CategoryInvitation.objects.select_for_update()
        .filter(token_hash=hash_token(token), category=category)
        .first()
    )
    if (
        invitation is None
        or invitation.used_at is not None
        or (invitation.expires_at and now >= invitation.expires_at)
    ):
        raise InvalidInvitation()
    return invitation


def check_category_access(
    *,
    category: RegistrationCategory,
    access_code: str,
    invitation_token: str,
    now: datetime.datetime,
) -> CategoryInvitation | None:
    """Raise CategoryNotAvailable (or InvalidInvitation) unless the registrant may use
    `category`; returns the locked invitation to mark used, if one was given. Call inside
    the registering transaction."""
    if invitation_token:
        return locked_invitation(category=category, token=invitation_token, now=now)
    access = category.effective_access
    if access == Access.PUBLIC:
        return None
    if access == Access.ACCESS_CODE and access_code_matches(
        category=category, access_code=access_code
    ):
        return None
    raise CategoryNotAvailable(category=category.pk)


def mark_invitation_used(
    *, invitation: CategoryInvitation, registration: Registration, now: datetime.datetime
) -> None:
    invitation.used_at = now
    invitation.registration = registration
    invitation.save(update_fields=["used_at", "registration"])


def create_invitation(
    *,
    category: RegistrationCategory,
    note: str = "",
    actor: AbstractBaseUser | None = None,
    expires_at: datetime.datetime | None = None,
) -> tuple[CategoryInvitation, str]:
    """A new single-use invitation link to `category`; returns it and its token (shown
    once: only the hash is stored). Writes an audit row."""
    token = make_token()
    invitation = CategoryInvitation.objects.create(
        congress_id=category.congress_id,
        category=category,
        note=note.strip()[:200],
        token_hash=hash_token(token),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        expires_at=expires_at,
    )
    record_audit(
        action="registration.invitation_created",
        congress=category.congress,
        actor=actor,
        target=invitation,
        detail={"category": category.pk},
    )
    return invitation, token


def invitation_category(*, congress, token: str) -> RegistrationCategory | None:
    """The category an unused, unexpired invitation token opens (for showing the form)."""
    if not token or len(token) > 128:
        return None
    invitation = (
        CategoryInvitation.objects.select_related("category")
        .filter(token_hash=hash_token(token), congress=congress, used_at__isnull=True)
        .first()
    )
    if invitation is None or (invitation.expires_at and timezone.now() >= invitation.expires_at):
        return None
    return invitation.category
