"""Sending a lost private link again: by the registrant (by e-mail address) or an organiser."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration, RegistrationGroup
from registrations.self_service import issue_access_token


def _send_link_on_commit(registration: Registration, token: str) -> None:
    from registrations.services.notifications import send_link_email

    transaction.on_commit(lambda: send_link_email(registration=registration, token=token))


def resend_private_links(*, congress: Congress, email: str) -> None:
    """Re-issue and e-mail the private link of the active registration (and of the
    delegations headed) held by `email` in `congress`. Says nothing about whether the
    address is known: callers answer the same either way (and rate-limit). Each link is
    re-issued, so an older copy stops working; only hashes are stored."""
    email = email.strip()
    if not email:
        return
    with transaction.atomic():
        registrations = (
            Registration.objects.select_related("person", "congress", "group")
            .filter(congress=congress, person__email__iexact=email)
            .exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED])
        )
        for registration in registrations:
            _send_link_on_commit(registration, issue_access_token(registration=registration))
        groups = RegistrationGroup.objects.select_related(
            "congress", "organisation", "contact"
        ).filter(congress=congress, contact__email__iexact=email)
        for group in groups:
            _resend_group_link(group)


def _resend_group_link(group: RegistrationGroup) -> None:
    from registrations.services.groups import issue_group_token
    from registrations.services.notifications import send_group_email

    token = issue_group_token(group=group)
    transaction.on_commit(lambda: send_group_email(group=group, token=token))


def resend_private_link(
    *, registration: Registration, actor: AbstractBaseUser | None = None
) -> None:
    """An organiser sends a registrant a new private link (the old one stops working)."""
    with transaction.atomic():
        _send_link_on_commit(registration, issue_access_token(registration=registration))
        record_audit(
            action="registration.link_resent",
            congress=registration.congress,
            actor=actor,
            target=registration,
        )
