"""Verified membership: the member rate and organisation-reserved vouchers apply only once a
registrant's link to their organisation is verified.

A registrant is verified when their organisation holds an active membership in the
congress's network and either their e-mail address uses a domain the organisation
registered (checked at registration), or the organisation's contact confirms from a
one-time link, or an organiser approves on the registration page. Until then the
registration owes the non-member fee and shows the member fee it will owe once verified
(`member_amount_minor`): an organiser is never paid less than is due, and the member pays
the member rate by waiting for the verification (or gets the difference back).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from common.mail import send_templated_email
from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation
from registrations import queries
from registrations.exceptions import InvalidMembershipLink, InvalidTransition
from registrations.models import Registration

M = Registration.Membership


@dataclass(frozen=True)
class MembershipClaim:
    """What a registrant's organisation is worth for the fee, as of registering."""

    is_member_organisation: bool
    is_verified: bool
    via: str = ""

    @property
    def member_rate_applies(self) -> bool:
        return self.is_member_organisation and self.is_verified

    @property
    def state(self) -> str:
        if not self.is_member_organisation:
            return M.NOT_CLAIMED
        return M.VERIFIED if self.is_verified else M.PENDING


def email_domain(email: str) -> str:
    return email.strip().rpartition("@")[2].lower()


def uses_organisation_domain(*, organisation: Organisation | None, email: str) -> bool:
    """True when `email`'s domain is one the organisation registered (exact, any case)."""
    if organisation is None or "@" not in email:
        return False
    domains = {str(item).strip().lstrip("@").lower() for item in organisation.email_domains or []}
    return email_domain(email) in domains


def membership_claim(
    *, congress: Congress, organisation: Organisation | None, email: str
) -> MembershipClaim:
    """The registrant's claim: member organisation? verified by the e-mail domain?"""
    is_member = queries.is_member_of_network(
        organisation_id=organisation.pk if organisation else None, congress=congress
    )
    by_domain = uses_organisation_domain(organisation=organisation, email=email)
    return MembershipClaim(
        is_member_organisation=is_member, is_verified=by_domain, via="domain" if by_domain else ""
    )


def issue_membership_link(*, registration: Registration) -> str:
    """A new one-time token for the organisation's contact; only its hash is stored."""
    token = make_token()
    registration.membership_token_hash = hash_token(token)
    Registration.objects.filter(pk=registration.pk).update(
        membership_token_hash=registration.membership_token_hash
    )
    return token


def send_membership_request(*, registration: Registration, token: str) -> None:
    """E-mail the organisation's contact the one-time link to confirm the registrant."""
    organisation = registration.person.organisation
    if organisation is None or not organisation.contact_email:
        return
    language = registration.language or "en"
    with translation.override(language):
        path = reverse("registrations:membership_confirm", kwargs={"token": token})
    send_templated_email(
        to=organisation.contact_email,
        template="registrations/email/membership_request",
        context={
            "registration": registration,
            "congress": registration.congress,
            "organisation": organisation,
            "link": f"{settings.SITE_URL}{path}",
        },
        language=language,
        time_zone=registration.congress.tzinfo,
    )


def registration_for_membership_token(*, token: str) -> Registration | None:
    if not token or len(token) > 128:
        return None
    return (
        Registration.objects.select_related("congress", "person__organisation", "category")
        .filter(membership_token_hash=hash_token(token), membership=M.PENDING)
        .first()
    )


def verify_membership(
    *,
    registration: Registration,
    via: str,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Verify a pending (or declined, for an organiser) membership and apply the member rate.

    Locks the category, then the registration. The fee is recomputed with the member
    rate (same voucher, same date as at registration); a registration fully paid by then is
    confirmed. Raises InvalidTransition when there is no membership to verify.
    """
    from registrations.services.payments import _confirm_if_paid_locked
    from registrations.services.registration import fee_for, lock_category

    now = now or timezone.now()
    allowed = (M.PENDING, M.DECLINED) if via == "organiser" else (M.PENDING,)
    with transaction.atomic():
        lock_category(registration.category)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("congress", "person", "category", "voucher")
            .get(pk=registration.pk)
        )
        if registration.membership not in allowed or not registration.is_active:
            raise InvalidTransition(status=registration.membership or registration.status)
        fee = fee_for(
            category=registration.category,
            congress=registration.congress,
            country=registration.person.country.code or "",
            is_member=True,
            voucher=registration.voucher,
            at=registration.created_at,
        )
        registration.membership = M.VERIFIED
        registration.membership_verified_via = via
        registration.membership_token_hash = ""
        registration.member_amount_minor = None
        registration.amount_due_minor = fee.amount_minor
        registration.fee_reasons = fee.reasons
        registration.save()
        if registration.status == Registration.Status.PENDING_PAYMENT:
            _confirm_if_paid_locked(registration, now)
        record_audit(
            action="registration.membership_verified",
            congress=registration.congress,
            actor=actor,
            target=registration,
            detail={"via": via, "amount_due_minor": fee.amount_minor},
        )
    return registration


def decline_membership(
    *, registration: Registration, actor: AbstractBaseUser | None = None
) -> Registration:
    """The contact (or an organiser) says the registrant is not one of theirs: the
    non-member fee already owed stays. Raises InvalidTransition unless pending."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.membership != M.PENDING:
            raise InvalidTransition(status=registration.membership or registration.status)
        registration.membership = M.DECLINED
        registration.membership_token_hash = ""
        registration.member_amount_minor = None
        registration.save(
            update_fields=[
                "membership",
                "membership_token_hash",
                "member_amount_minor",
                "updated_at",
            ]
        )
        record_audit(
            action="registration.membership_declined",
            congress=registration.congress,
            actor=actor,
            target=registration,
        )
    return registration


def answer_membership_link(*, token: str, confirm: bool) -> Registration:
    """The organisation's contact answers from the one-time link (it stops working).

    Raises InvalidMembershipLink for an unknown or used link.
    """
    registration = registration_for_membership_token(token=token)
    if registration is None:
        raise InvalidMembershipLink()
    if confirm:
        return verify_membership(registration=registration, via="contact")
    return decline_membership(registration=registration)


def request_group_membership(*, group, send_email: bool) -> None:
    """Ask the organisation's contact, once, to confirm the delegation's pending members
    (a new one-time link each time: the previous one stops working)."""
    pending = group.registrations.filter(membership=M.PENDING)
    if not pending.exists() or not group.organisation.contact_email:
        return
    token = make_token()
    type(group).objects.filter(pk=group.pk).update(membership_token_hash=hash_token(token))
    if send_email:
        transaction.on_commit(lambda: send_group_membership_request(group=group, token=token))


def send_group_membership_request(*, group, token: str) -> None:
    language = group.language or "en"
    with translation.override(language):
        path = reverse("registrations:membership_confirm_group", kwargs={"token": token})
    send_templated_email(
        to=group.organisation.contact_email,
        template="registrations/email/membership_request_group",
        context={
            "group": group,
            "congress": group.congress,
            "organisation": group.organisation,
            "delegates": list(group.registrations.select_related("person").order_by("pk")),
            "link": f"{settings.SITE_URL}{path}",
        },
        language=language,
        time_zone=group.congress.tzinfo,
    )


def group_for_membership_token(*, token: str):
    from registrations.models import RegistrationGroup

    if not token or len(token) > 128:
        return None
    return (
        RegistrationGroup.objects.select_related("congress", "organisation", "contact")
        .filter(membership_token_hash=hash_token(token))
        .first()
    )


def answer_group_membership_link(*, token: str, confirm: bool) -> int:
    """The contact confirms (or declines) every pending delegate of a delegation at once;
    the link stops working. Returns how many delegates were answered for. Raises
    InvalidMembershipLink for an unknown or used link."""
    group = group_for_membership_token(token=token)
    if group is None:
        raise InvalidMembershipLink()
    type(group).objects.filter(pk=group.pk).update(membership_token_hash="")
    pending = list(group.registrations.filter(membership=M.PENDING).order_by("pk"))
    for registration in pending:
        if confirm:
            verify_membership(registration=registration, via="contact")
        else:
            decline_membership(registration=registration)
    return len(pending)
