"""Registering participants: capacity under a row lock, FIFO waitlist, seat holds."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation, Person
from registrations import queries
from registrations.exceptions import (
    AlreadyRegistered,
    InvalidVoucher,
    PaymentUnavailable,
    RegistrationClosed,
    VoucherExhausted,
)
from registrations.models import (
    Registration,
    RegistrationCategory,
    RegistrationGroup,
    RegistrationSettings,
    Voucher,
)
from registrations.services.answers import validate_answers
from registrations.services.common import new_reference, send_confirmed_on_commit
from registrations.services.fees import Fee, compute_fee

S = Registration.Status
Method = Registration.PaymentMethod


@dataclass
class RegistrantDetails:
    """What a participant typed in the form, already validated for shape."""

    email: str
    name: str
    latin_name: str = ""
    country: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    language: str = "en"
    answers: dict = field(default_factory=dict)
    list_visibility: str = Registration.ListVisibility.NOWHERE


@dataclass
class RegistrationOutcome:
    registration: Registration
    fee: Fee
    access_token: str


def stripe_is_configured() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "STRIPE_SECRET_KEY", ""))


def _check_open(category: RegistrationCategory, now: datetime.datetime) -> None:
    if (category.opens_at and now < category.opens_at) or (
        category.closes_at and now >= category.closes_at
    ):
        raise RegistrationClosed(category=category.pk)


def _person_for(details: RegistrantDetails, congress: Congress) -> Person:
    """Find the person by email (case-insensitive) or create them; caller holds the lock."""
    organisation = details.organisation
    if organisation is None and details.organisation_name.strip():
        organisation, _created = Organisation.objects.get_or_create(
            name=details.organisation_name.strip(), country=details.country or congress.country
        )
    person = queries.person_by_email(email=details.email)
    if person is None:
        return Person.objects.create(
            email=details.email.strip(),
            name=details.name.strip(),
            latin_name=details.latin_name.strip(),
            country=details.country,
            organisation=organisation,
            preferred_language=details.language,
        )
    if (
        Registration.objects.filter(congress=congress, person=person)
        .exclude(status__in=[S.CANCELLED, S.REJECTED])
        .exists()
    ):
        raise AlreadyRegistered(congress=congress.pk)
    changed = []
    for attribute, value in (("organisation", organisation), ("country", details.country)):
        if value and not getattr(person, attribute):
            setattr(person, attribute, value)
            changed.append(attribute)
    if changed:
        person.save(update_fields=changed)
    return person


def check_voucher(
    *, voucher: Voucher | None, organisation_id: int | None, now: datetime.datetime
) -> Voucher:
    """The one rule saying whether a voucher may be used at `now` by a registrant of
    `organisation_id`: the live fee quote and registration both ask it, so a quote never
    shows a price that registration then refuses.

    Raises InvalidVoucher saying why (unknown, not valid yet, expired, reserved for another
    organisation) or VoucherExhausted.
    """
    if voucher is None:
        raise InvalidVoucher()
    if voucher.valid_from and now < voucher.valid_from:
        raise InvalidVoucher(_("This voucher code is not valid yet."), reason="not_yet_valid")
    if voucher.valid_until and now >= voucher.valid_until:
        raise InvalidVoucher(_("This voucher code has expired."), reason="expired")
    if voucher.organisation_id and voucher.organisation_id != organisation_id:
        raise InvalidVoucher(
            _("This voucher code is reserved for another organisation."), reason="reserved"
        )
    if voucher.usage_limit is not None and voucher.times_used >= voucher.usage_limit:
        raise VoucherExhausted()
    return voucher


def _locked_voucher(
    *, congress: Congress, code: str, organisation_id: int | None, now: datetime.datetime
) -> Voucher | None:
    """Lock the voucher row (after congress and category) and take one use of it."""
    code = code.strip().upper()
    if not code:
        return None
    voucher = check_voucher(
        voucher=Voucher.objects.select_for_update().filter(congress=congress, code=code).first(),
        organisation_id=organisation_id,
        now=now,
    )
    Voucher.objects.filter(pk=voucher.pk).update(times_used=F("times_used") + 1)
    return voucher


def release_voucher_use(registration: Registration) -> None:
    if registration.voucher_id:
        Voucher.objects.filter(pk=registration.voucher_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )


def fee_for(
    *,
    category: RegistrationCategory,
    congress: Congress,
    country: str,
    organisation_id: int | None,
    voucher: Voucher | None,
    at: datetime.datetime,
    inputs: tuple | None = None,
) -> Fee:
    """Load the fee inputs (unless given) and compute the fee: the one function behind
    every shown price."""
    rules, groups = inputs if inputs is not None else queries.fee_inputs(category=category)
    return compute_fee(
        category=category,
        currency=congress.currency,
        rules=rules,
        groups=groups,
        country=country,
        is_member=queries.is_member_of_network(organisation_id=organisation_id, congress=congress),
        at=at,
        voucher=voucher,
    )


def hold_until(
    *, settings: RegistrationSettings, method: str, now: datetime.datetime
) -> datetime.datetime:
    if method == Method.CARD:
        return now + datetime.timedelta(minutes=settings.card_hold_minutes)
    return now + datetime.timedelta(days=settings.transfer_hold_days)


def initial_state(
    *,
    registration: Registration,
    category: RegistrationCategory,
    settings: RegistrationSettings,
    now: datetime.datetime,
) -> None:
    """Set status, hold and confirmation time of a registration that just got a seat."""
    registration.waitlisted_at = registration.waitlisted_at
    registration.offer_expires_at = None
    if category.requires_approval:
        registration.status = S.PENDING_APPROVAL
        registration.hold_expires_at = None
    elif registration.amount_due_minor == 0:
        registration.status = S.CONFIRMED
        registration.confirmed_at = now
        registration.payment_method = Method.NONE
        registration.hold_expires_at = None
    else:
        registration.status = S.PENDING_PAYMENT
        registration.hold_expires_at = hold_until(
            settings=settings, method=registration.payment_method, now=now
        )


def _has_seat(category: RegistrationCategory, now: datetime.datetime, needed: int = 1) -> bool:
    if category.capacity is None:
        return True
    if queries.waiting_without_offer(category=category, now=now).exists():
        return False  # FIFO: people already waiting go first
    return queries.seats_taken(category=category, now=now) + needed <= category.capacity


def lock_category(category: RegistrationCategory) -> RegistrationCategory:
    """Lock congress then category (the one lock order), and release expired holds."""
    Congress.objects.select_for_update().only("pk").get(pk=category.congress_id)
    category = RegistrationCategory.objects.select_for_update().get(pk=category.pk)
    return category


def register_participant(
    *,
    congress: Congress,
    category: RegistrationCategory,
    details: RegistrantDetails,
    payment_method: str = Method.TRANSFER,
    voucher_code: str = "",
    group: RegistrationGroup | None = None,
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> RegistrationOutcome:
    """Register one person: a seat if one is free, else the FIFO waitlist.

    Locks congress then category (then the voucher) so capacity and voucher limits hold
    under concurrency; a person (by email, case-insensitive) has at most one active
    registration per congress. The fee comes from `fee_for`. Sends registration_confirmed
    on commit when the fee is zero and no approval is needed, and the confirmation email.
    The answers go through `validate_answers` (the form's and the API's one validator).
    Raises InvalidAnswers, RegistrationClosed, AlreadyRegistered, InvalidVoucher,
    VoucherExhausted, PaymentUnavailable.
    """
    now = now or timezone.now()
    if category.congress_id != congress.pk:
        raise RegistrationClosed(category=category.pk)
    answers = validate_answers(congress=congress, category=category, answers=details.answers)
    if payment_method == Method.CARD and not stripe_is_configured():
        raise PaymentUnavailable()
    # Read before locking (lock late): the fee rules and settings are not counted resources.
    inputs = queries.fee_inputs(category=category)
    settings = queries.settings_for(congress=congress)
    # The private token is made and hashed before the lock: the row is saved with its hash
    # (no UPDATE while the congress and category rows are locked).
    token = make_token()
    with transaction.atomic():
        category = lock_category(category)
        _check_open(category, now)
        from registrations.services.waitlist import release_expired_locked

        release_expired_locked(category=category, now=now)
        person = _person_for(details, congress)
        voucher = _locked_voucher(
            congress=congress,
            code=voucher_code,
            organisation_id=person.organisation_id,
            now=now,
        )
        fee = fee_for(
            category=category,
            congress=congress,
            country=details.country or person.country.code or "",
            organisation_id=person.organisation_id,
            voucher=voucher,
            at=now,
            inputs=inputs,
        )
        registration = Registration(
            congress=congress,
            person=person,
            category=category,
            language=details.language,
            answers=answers,
            list_visibility=details.list_visibility,
            group=group,
            voucher=voucher,
            currency=fee.currency,
            amount_due_minor=fee.amount_minor,
            fee_reasons=fee.reasons,
            payment_method=payment_method if fee.amount_minor else Method.NONE,
            payment_reference=new_reference("REG"),
            access_token_hash=hash_token(token),
        )
        if _has_seat(category, now):
            initial_state(registration=registration, category=category, settings=settings, now=now)
        else:
            registration.status = S.WAITLISTED
            registration.waitlisted_at = now
        registration.save()
        # The audit row is written right after the commit, in its own statement: the
        # congress and category locks are not held for it.
        transaction.on_commit(
            lambda: record_audit(
                action="registration.created",
                congress=congress,
                target=registration,
                detail={"status": registration.status, "category": category.pk},
            )
        )
        if registration.status == S.CONFIRMED:
            send_confirmed_on_commit(registration)
        if send_email:
            from registrations.services.notifications import send_registration_email

            # A mail server that is down is logged by common.mail, never a server error.
            transaction.on_commit(
                lambda: send_registration_email(registration=registration, token=token)
            )
    return RegistrationOutcome(registration=registration, fee=fee, access_token=token)


def quote_fee(
    *,
    congress: Congress,
    category: RegistrationCategory,
    country: str,
    organisation: Organisation | None,
    voucher_code: str = "",
    now: datetime.datetime | None = None,
) -> Fee:
    """The fee a registrant would be charged now (no lock, no voucher use taken).

    The voucher passes the same `check_voucher` as at registration; raises what it raises.
    """
    now = now or timezone.now()
    voucher = None
    code = voucher_code.strip().upper()
    if code:
        voucher = check_voucher(
            voucher=Voucher.objects.filter(congress=congress, code=code).first(),
            organisation_id=organisation.pk if organisation else None,
            now=now,
        )
    return fee_for(
        category=category,
        congress=congress,
        country=country,
        organisation_id=organisation.pk if organisation else None,
        voucher=voucher,
        at=now,
    )


def update_answers(
    *, registration: Registration, answers: dict, list_visibility: str | None = None
) -> Registration:
    """The participant changes their answers from the self-service page.

    The new answers, together with the kept answers to the questions of the registration's
    category, go through `validate_answers`; raises InvalidAnswers.
    """
    questions = queries.questions_for(
        congress=registration.congress, category=registration.category
    )
    asked = {question.code for question in questions}
    kept = {code: value for code, value in registration.answers.items() if code in asked}
    cleaned = validate_answers(
        congress=registration.congress,
        category=registration.category,
        answers={**kept, **answers},
        questions=questions,
    )
    registration.answers = {**registration.answers, **cleaned}
    fields = ["answers", "updated_at"]
    if list_visibility is not None:
        registration.list_visibility = list_visibility
        fields.append("list_visibility")
    registration.save(update_fields=fields)
    record_audit(
        action="registration.answers_changed",
        congress=registration.congress,
        target=registration,
    )
    return registration
