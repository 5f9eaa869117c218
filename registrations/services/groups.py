"""Delegations: a head of delegation registers several delegates of one organisation, paid
with one payment reference (GRP-...) or covered by one voucher, and adds, edits or replaces
delegates later from a private page."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation, Person
from registrations import queries
from registrations.exceptions import InvalidTransition
from registrations.models import Registration, RegistrationCategory, RegistrationGroup
from registrations.self_service import issue_access_token
from registrations.services.access import check_category_access
from registrations.services.answers import validate_answers
from registrations.services.common import new_reference
from registrations.services.membership import (
    request_group_membership,
    uses_organisation_domain,
)
from registrations.services.persons import lock_email, lock_emails, person_for_registration
from registrations.services.registration import (
    RegistrantDetails,
    RegistrationOutcome,
    _locked_voucher,
    fee_for,
    lock_category,
    register_participant,
)

S = Registration.Status


@dataclass
class GroupOutcome:
    group: RegistrationGroup
    outcomes: list[RegistrationOutcome]
    access_token: str = ""

    @property
    def amount_due_minor(self) -> int:
        return sum(
            item.registration.amount_outstanding_minor
            for item in self.outcomes
            if item.registration.status == Registration.Status.PENDING_PAYMENT
        )


def issue_group_token(*, group: RegistrationGroup) -> str:
    """A new private link for the head of delegation; the previous one stops working."""
    token = make_token()
    group.access_token_hash = hash_token(token)
    RegistrationGroup.objects.filter(pk=group.pk).update(access_token_hash=group.access_token_hash)
    return token


def group_for_access_token(*, token: str) -> RegistrationGroup | None:
    if not token or len(token) > 128:
        return None
    return (
        RegistrationGroup.objects.select_related(
            "congress", "organisation", "contact", "category", "voucher"
        )
        .filter(access_token_hash=hash_token(token))
        .first()
    )


def group_amount_due_minor(*, group: RegistrationGroup) -> int:
    """What the delegation still owes: the delegates holding a seat and waiting for payment."""
    totals = group.registrations.filter(status=S.PENDING_PAYMENT).aggregate(
        due=Sum("amount_due_minor"), paid=Sum("amount_paid_minor")
    )
    return max((totals["due"] or 0) - (totals["paid"] or 0), 0)


def _contact_person(*, contact: RegistrantDetails, organisation: Organisation) -> Person:
    person = queries.person_by_email(email=contact.email)
    if person is None:
        person = Person.objects.create(
            email=contact.email.strip(),
            name=contact.name.strip(),
            organisation=organisation,
            country=contact.country or organisation.country,
            preferred_language=contact.language,
        )
    return person


def register_group(
    *,
    congress: Congress,
    category: RegistrationCategory,
    organisation: Organisation,
    contact: RegistrantDetails,
    delegates: list[RegistrantDetails],
    payment_method: str,
    voucher_code: str = "",
    access_code: str = "",
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> GroupOutcome:
    """Register every delegate in one transaction (all or nothing) under one payment reference.

    Each delegate goes through register_participant (same locks, same fee rules, same
    waitlist) with their own country, language and answers; those without a seat are
    waitlisted and not charged until they get one. A voucher covers the whole delegation
    and counts as one use. The membership is verified by the head's e-mail domain.
    Delegates are told the head pays; the head gets the summary with the GRP reference
    and the private link to manage the delegation. Raises CategoryNotAvailable,
    InvalidVoucher, VoucherExhausted and what register_participant raises, for the first
    delegate that fails.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Every address before the category (the one lock order): a delegate registering
        # on their own at the same instant waits instead of deadlocking.
        lock_emails([contact.email, *(details.email for details in delegates)])
        lock_category(category)
        check_category_access(
            category=category, access_code=access_code, invitation_token="", now=now
        )
        voucher = _locked_voucher(
            congress=congress,
            code=voucher_code,
            organisation_id=organisation.pk,
            now=now,
            is_verified=uses_organisation_domain(organisation=organisation, email=contact.email),
        )
        group = RegistrationGroup.objects.create(
            congress=congress,
            organisation=organisation,
            contact=_contact_person(contact=contact, organisation=organisation),
            payment_reference=new_reference("GRP"),
            payment_method=payment_method,
            category=category,
            language=contact.language,
            voucher=voucher,
        )
        outcomes = [
            _register_delegate(group=group, details=details, now=now, send_email=send_email)
            for details in delegates
        ]
        token = issue_group_token(group=group)
        request_group_membership(group=group, send_email=send_email)
        record_audit(
            action="registration.group_created",
            congress=congress,
            target=group,
            detail={"delegates": len(outcomes)},
        )
        if send_email:
            from registrations.services.notifications import send_group_email

            transaction.on_commit(lambda: send_group_email(group=group, token=token))
    return GroupOutcome(group=group, outcomes=outcomes, access_token=token)


def _register_delegate(
    *,
    group: RegistrationGroup,
    details: RegistrantDetails,
    now: datetime.datetime,
    send_email: bool,
) -> RegistrationOutcome:
    details.organisation = group.organisation
    details.membership_email = group.contact.email
    return register_participant(
        congress=group.congress,
        category=group.category,
        details=details,
        payment_method=group.payment_method,
        group=group,
        now=now,
        send_email=send_email,
    )


def add_delegate(
    *,
    group: RegistrationGroup,
    details: RegistrantDetails,
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> RegistrationOutcome:
    """The head adds a delegate later: registered like the first ones, under the same
    reference and voucher. Raises what register_participant raises."""
    return _register_delegate(
        group=group, details=details, now=now or timezone.now(), send_email=send_email
    )


def _locked_delegate(*, group: RegistrationGroup, registration: Registration) -> Registration:
    lock_category(registration.category)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("person", "category", "congress", "voucher")
        .get(pk=registration.pk, group=group)
    )
    if not registration.is_active:
        raise InvalidTransition(status=registration.status)
    return registration


def _refresh_fee(registration: Registration) -> None:
    """A delegate with nothing paid yet gets the fee of their (new) country."""
    if registration.amount_paid_minor or registration.status != S.PENDING_PAYMENT:
        return
    fee = fee_for(
        category=registration.category,
        congress=registration.congress,
        country=registration.person.country.code or "",
        is_member=registration.membership == Registration.Membership.VERIFIED,
        voucher=registration.voucher,
        at=registration.created_at,
    )
    registration.amount_due_minor = fee.amount_minor
    registration.fee_reasons = fee.reasons


def update_delegate(
    *,
    group: RegistrationGroup,
    registration: Registration,
    details: RegistrantDetails,
) -> Registration:
    """The head corrects a delegate's name, country, language or answers (the e-mail
    address stays: to change the person, replace them). Answers go through
    `validate_answers`. The fee follows the new country while nothing is paid.
    Raises InvalidAnswers, InvalidTransition."""
    answers = validate_answers(
        congress=group.congress, category=registration.category, answers=details.answers
    )
    with transaction.atomic():
        registration = _locked_delegate(group=group, registration=registration)
        person = registration.person
        person.name = details.name.strip()
        person.latin_name = details.latin_name.strip()
        person.country = details.country
        person.save(update_fields=["name", "latin_name", "country"])
        registration.language = details.language
        registration.answers = answers
        _refresh_fee(registration)
        registration.save()
        record_audit(
            action="registration.delegate_changed",
            congress=group.congress,
            target=registration,
        )
    return registration


def replace_delegate(
    *,
    group: RegistrationGroup,
    registration: Registration,
    details: RegistrantDetails,
    send_email: bool = True,
) -> RegistrationOutcome:
    """Another person takes a delegate's seat: same registration, status and payment; the
    old private link stops working and the new delegate gets their own. Raises
    AlreadyRegistered (the new person holds a registration already), InvalidAnswers,
    InvalidTransition."""
    answers = validate_answers(
        congress=group.congress, category=registration.category, answers=details.answers
    )
    details.organisation = group.organisation
    with transaction.atomic():
        lock_email(details.email)  # before the category (the one lock order)
        registration = _locked_delegate(group=group, registration=registration)
        old_person_id = registration.person_id
        registration.person = person_for_registration(details=details, congress=group.congress)
        registration.language = details.language
        registration.answers = answers
        _refresh_fee(registration)
        registration.save()
        token = issue_access_token(registration=registration)
        record_audit(
            action="registration.delegate_replaced",
            congress=group.congress,
            target=registration,
            detail={"previous_person": old_person_id},
        )
        if send_email:
            from registrations.services.notifications import send_registration_email

            transaction.on_commit(
                lambda: send_registration_email(registration=registration, token=token)
            )
    from registrations.services.fees import Fee

    fee = Fee(
        registration.amount_due_minor,
        registration.currency,
        registration.amount_due_minor,
        registration.fee_reasons,
    )
    return RegistrationOutcome(registration=registration, fee=fee, access_token=token)
