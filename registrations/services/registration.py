"""Registering participants: capacity under a row lock, FIFO waitlist, seat holds."""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.prepared import CommitPipeline, insert
from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from members.models import Organisation
from registrations import queries
from registrations.config_cache import registration_config
from registrations.exceptions import (
    CategoryNotAvailable,
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
from registrations.services.access import check_category_access, mark_invitation_used
from registrations.services.answers import validate_answers
from registrations.services.common import new_reference, send_confirmed_on_commit
from registrations.services.fees import Fee, compute_fee
from registrations.services.membership import (
    MembershipClaim,
    membership_claim,
)
from registrations.services.persons import person_for_registration

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
    # The address whose domain proves the membership: the head's for a delegation.
    membership_email: str = ""


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


def check_voucher(
    *,
    voucher: Voucher | None,
    organisation_id: int | None,
    now: datetime.datetime,
    is_verified: bool = False,
) -> Voucher:
    """The one rule saying whether a voucher may be used at `now` by a registrant of
    `organisation_id`: the live fee quote and registration both ask it, so a quote never
    shows a price that registration then refuses. A voucher reserved for an organisation
    works only for a registrant whose link to it is verified (`is_verified`: their e-mail
    uses one of the organisation's domains), so naming the organisation is not enough.

    Raises InvalidVoucher saying why (unknown, not valid yet, expired, reserved for another
    organisation, not verified) or VoucherExhausted.
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
    if voucher.organisation_id and not is_verified:
        raise InvalidVoucher(
            _(
                "This voucher code is reserved for the members of one organisation: register "
                "with your e-mail address at that organisation, or ask the organisers."
            ),
            reason="unverified",
        )
    if voucher.usage_limit is not None and voucher.times_used >= voucher.usage_limit:
        raise VoucherExhausted()
    return voucher


def _locked_voucher(
    *,
    congress: Congress,
    code: str,
    organisation_id: int | None,
    now: datetime.datetime,
    is_verified: bool = False,
) -> Voucher | None:
    """Lock the voucher row (after congress and category) and take one use of it."""
    code = code.strip().upper()
    if not code:
        return None
    voucher = check_voucher(
        voucher=Voucher.objects.select_for_update().filter(congress=congress, code=code).first(),
        organisation_id=organisation_id,
        now=now,
        is_verified=is_verified,
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
    is_member: bool,
    voucher: Voucher | None,
    at: datetime.datetime,
    inputs: tuple | None = None,
) -> Fee:
    """Load the fee inputs (unless given) and compute the fee: the one function behind
    every shown price. `is_member` is a verified membership (see services.membership)."""
    rules, groups = inputs if inputs is not None else queries.fee_inputs(category=category)
    return compute_fee(
        category=category,
        currency=congress.currency,
        rules=rules,
        groups=groups,
        country=country,
        is_member=is_member,
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


def _seat_is_free(
    category: RegistrationCategory, counts: queries.SeatCounts, needed: int = 1
) -> bool:
    if category.capacity is None:
        return True
    if counts.waiting:
        return False  # FIFO: people already waiting go first
    return counts.taken + needed <= category.capacity


def _has_seat(category: RegistrationCategory, now: datetime.datetime, needed: int = 1) -> bool:
    if category.capacity is None:
        return True
    return _seat_is_free(category, queries.seat_counts(category=category, now=now), needed)


def lock_category(category: RegistrationCategory, *, shared: bool = False) -> RegistrationCategory:
    """Lock the category row: the capacity guard of everything that counts its seats
    (registering, paying, approving, moving, the waitlist). The one lock order: e-mail
    addresses (services.persons), then categories in pk order, then invitations, vouchers
    and registrations.

    Only the category is locked, not its congress: nothing is counted congress-wide (a
    voucher and an invitation lock their own rows), so registrations in two categories of
    one congress never wait for each other.

    FOR NO KEY UPDATE (PostgreSQL; SQLite has no row locks): it serializes everyone taking
    this lock, but not the key-share locks that inserting a row pointing at the category
    takes (a registration, a badge credential): with FOR UPDATE, a transaction that
    inserted such a row and then asks for this lock deadlocks against another doing the
    same (tests/registrations/test_concurrency.py).

    `shared` (registering in a category without a capacity: nothing to count): FOR SHARE.
    Registrations holding it do not wait for each other, while an organiser's change of the
    category (a capacity set, registration closed) waits for them, and they for it; a
    registration that then finds a capacity is tried again under the exclusive lock.
    """
    return queries.locked_category(category_id=category.pk, shared=shared)


def lock_category_and_count(
    category: RegistrationCategory, *, now: datetime.datetime, shared: bool = False
) -> tuple[RegistrationCategory, queries.SeatCounts, int | None]:
    """`lock_category` and, unless `shared`, the category's seat counts, counted once the
    lock is granted, with the next registration key (None where there is no sequence to
    ask): one round trip on PostgreSQL, so the lock's holder waits for no reply between
    the lock and the count (queries.lock_for_registering)."""
    return queries.lock_for_registering(category_id=category.pk, now=now, shared=shared)


def register_participant(
    *,
    congress: Congress,
    category: RegistrationCategory,
    details: RegistrantDetails,
    payment_method: str = Method.TRANSFER,
    voucher_code: str = "",
    group: RegistrationGroup | None = None,
    access_code: str = "",
    invitation_token: str = "",
    by_organiser: bool = False,
    now: datetime.datetime | None = None,
    send_email: bool = True,
) -> RegistrationOutcome:
    """Register one person: a seat if one is free, else the FIFO waitlist.

    Locking (docs/registrations.md, "How registrations are serialised"): the person is found
    or created under a lock on their e-mail address (services.persons; a person, by e-mail,
    case-insensitive, has at most one active registration per congress), and the membership
    claim, fee inputs and tokens are prepared, before any row lock. Only then is the
    category locked (then the invitation, then the voucher) for what must be serialised:
    the open check, expired holds, the voucher's uses, the seat count and the insert. The
    audit row and the e-mails follow the commit. A hidden or invitation-only category needs
    its access code or an unused invitation token, unless an organiser registers the person
    (`by_organiser`: the demo, organiser tools). The fee comes from `fee_for`, with the
    member rate only for a verified membership (see services.membership; a pending one owes
    the non-member fee and records the member fee). A delegate (`group` given) carries no
    payment reference of their own: the delegation's reference and voucher cover them.
    Sends registration_confirmed on commit when the fee is zero and no approval is needed,
    and the e-mails. The answers go through `validate_answers` (the form's and the API's one
    validator). Raises InvalidAnswers, RegistrationClosed, CategoryNotAvailable,
    InvalidInvitation, AlreadyRegistered, InvalidVoucher, VoucherExhausted,
    PaymentUnavailable.
    """
    now = now or timezone.now()
    if category.congress_id != congress.pk:
        raise RegistrationClosed(category=category.pk)
    # Read before locking (lock late): the questions, fee rules and settings are not
    # counted resources (kept in memory while unchanged: registrations.config_cache).
    config = registration_config(congress)
    answers = validate_answers(
        congress=congress, category=category, answers=details.answers, questions=config.questions
    )
    if payment_method == Method.CARD and not stripe_is_configured():
        raise PaymentUnavailable()
    inputs = config.fee_inputs(category)
    settings = config.settings
    group_voucher = group.voucher if group is not None else None
    token = make_token()
    attempt = partial(
        _register_in_transaction,
        congress=congress,
        category=category,
        details=details,
        answers=answers,
        group=group,
        token=token,
        payment_method=payment_method,
        voucher=group_voucher,
        voucher_code=voucher_code if group is None else "",
        access=None if group is not None or by_organiser else (access_code, invitation_token),
        inputs=inputs,
        settings=settings,
        now=now,
        send_email=send_email,
    )
    try:
        # A category without a capacity counts nothing: its lock is shared (see
        # lock_category), so its registrations do not wait for each other.
        registration, fee = attempt(shared=category.capacity is None)
    except _CapacitySetMeanwhile:
        # Rolled back (the shared lock released); counted under the exclusive lock now,
        # with the locked row (the category read is out of date).
        registration, fee = attempt(shared=False, in_one_round_trip=False)
    except IntegrityError as error:
        if not queries.is_seat_guard(error):
            raise
        # Rolled back: the category changed since it was read, or holds expired; decided
        # the ordinary way now, with the locked row.
        registration, fee = attempt(shared=False, in_one_round_trip=False)
    return RegistrationOutcome(registration=registration, fee=fee, access_token=token)


class _CapacitySetMeanwhile(Exception):
    """The category got a capacity after it was read without one: the registration is
    rolled back and tried again under the exclusive lock."""


def _register_in_transaction(
    *,
    congress: Congress,
    category: RegistrationCategory,
    details: RegistrantDetails,
    answers: dict,
    group: RegistrationGroup | None,
    token: str,
    payment_method: str,
    voucher: Voucher | None,
    voucher_code: str,
    access: tuple[str, str] | None,
    inputs: tuple,
    settings: RegistrationSettings,
    now: datetime.datetime,
    send_email: bool,
    shared: bool,
    in_one_round_trip: bool = True,
) -> tuple[Registration, Fee]:
    """One registering transaction (a savepoint inside an outer one): the person, the
    membership claim, then the locked part, then what follows the commit. When this is the
    outermost transaction, the registration's INSERT goes with the COMMIT
    (common.prepared.CommitPipeline): the category's lock is released without waiting for
    the INSERT's reply. In a category with a capacity, when nothing else must be locked (no
    invitation, no voucher) and `in_one_round_trip`, even the lock and the seat's decision
    go with the COMMIT (`_register_deciding_in_the_database`)."""
    with CommitPipeline() as pipeline, transaction.atomic():
        person = person_for_registration(details=details, congress=congress)
        claim = membership_claim(
            congress=congress,
            organisation=person.organisation,
            email=details.membership_email or details.email,
        )
        registration = Registration(
            congress=congress,
            person=person,
            category=category,
            language=details.language,
            answers=answers,
            list_visibility=details.list_visibility,
            group=group,
            payment_reference="" if group is not None else new_reference("REG"),
            membership=claim.state,
            membership_verified_via=claim.via if claim.member_rate_applies else "",
            # Saved with the row: no UPDATE once the category is locked.
            access_token_hash=hash_token(token),
        )
        membership_token = _membership_link(registration)
        # What both ways of deciding the seat need.
        decide = {
            "registration": registration,
            "claim": claim,
            "country": details.country or person.country.code or "",
            "voucher_code": voucher_code,
            "access": access,
            "payment_method": payment_method,
            "inputs": inputs,
            "settings": settings,
            "now": now,
        }
        fee = None
        if in_one_round_trip and pipeline.sends and not shared and voucher is None:
            fee = _register_deciding_in_the_database(**decide, pipeline=pipeline)
        if fee is None:
            fee = _register_locked(
                **decide, voucher=voucher, shared=shared, insert_last=pipeline.insert
            )
        _after_commit(
            registration=registration,
            token=token,
            membership_token=membership_token,
            send_email=send_email,
        )
    return registration, fee


def _register_deciding_in_the_database(
    *,
    registration: Registration,
    claim: MembershipClaim,
    country: str,
    voucher_code: str,
    access: tuple[str, str] | None,
    payment_method: str,
    inputs: tuple,
    settings: RegistrationSettings,
    now: datetime.datetime,
    pipeline: CommitPipeline,
) -> Fee | None:
    """The serialised part with no reply awaited under the lock: everything is decided
    before the lock with the category as read (open, access, price, and both outcomes, a
    seat or the waiting list), then the lock and one INSERT choosing between them go with
    the COMMIT (queries.send_registration_deciding_seat); the database refuses the INSERT,
    and everything is rolled back, if the locked category differs from the one read.

    Returns None, having sent nothing, when this cannot apply: an invitation or a voucher
    to lock, or a check that fails with the category as read (then decided again, and the
    error raised, under the lock)."""
    category = registration.category
    invitation_token = access[1] if access is not None else ""
    if voucher_code.strip() or invitation_token:
        return None
    try:
        _check_open(category, now)
        if access is not None:
            check_category_access(
                category=category, access_code=access[0], invitation_token="", now=now
            )
    except (RegistrationClosed, CategoryNotAvailable):
        return None
    fee = _price(registration, claim=claim, country=country, voucher=None, inputs=inputs, now=now)
    registration.payment_method = payment_method if fee.amount_minor else Method.NONE
    # As insert() would, before the two outcomes are made: the creation time is in both.
    for model_field in Registration._meta.concrete_fields:
        model_field.pre_save(registration, True)
    waitlisted = copy.copy(registration)
    waitlisted.status = S.WAITLISTED
    waitlisted.waitlisted_at = now
    initial_state(registration=registration, category=category, settings=settings, now=now)

    def answered(key: int, status: str, locked_at: datetime.datetime) -> None:
        if status == S.WAITLISTED:
            for model_field in Registration._meta.concrete_fields:
                setattr(registration, model_field.attname, getattr(waitlisted, model_field.attname))
        registration.pk = key

    queries.send_registration_deciding_seat(
        pipeline,
        seat=registration,
        waitlisted=waitlisted,
        category=category,
        now=now,
        then=answered,
    )
    registration._state.adding = False
    registration._state.db = pipeline.alias
    return fee


def _register_locked(
    *,
    registration: Registration,
    claim: MembershipClaim,
    country: str,
    voucher: Voucher | None,
    voucher_code: str,
    access: tuple[str, str] | None,
    payment_method: str,
    inputs: tuple,
    settings: RegistrationSettings,
    now: datetime.datetime,
    shared: bool = False,
    insert_last: Callable[[Registration], object] = insert,
) -> Fee:
    """The serialised part: lock the category, check it is open and may be used (`access`:
    the access code and invitation token, None when no check applies), release expired
    holds, take a voucher use, price, count a seat and insert. The locks are held until
    the caller's transaction commits, so nothing else belongs here.

    `shared` (a category read without a capacity): the category is locked in share mode and
    nothing is counted; if it has a capacity by now, raises _CapacitySetMeanwhile."""
    from registrations.services.waitlist import release_expired_locked

    # One statement counts the seats, the waiting list and the expired holds, sent with the
    # lock; only when some hold or offer expired are they released (seats offered on) and
    # the seats counted again. Without a capacity (`shared`) there is nothing to count
    # (expired holds are released by `reconcile_payments`, and by the next organiser action
    # that counts this category). The registration's key comes with them, so that its INSERT
    # can go with the COMMIT.
    category, counts, registration.pk = lock_category_and_count(
        registration.category, now=now, shared=shared
    )
    if shared and category.capacity is not None:
        raise _CapacitySetMeanwhile
    registration.category = category
    _check_open(category, now)
    invitation = None
    if access is not None:
        invitation = check_category_access(
            category=category, access_code=access[0], invitation_token=access[1], now=now
        )
    if counts.expired:
        release_expired_locked(category=category, now=now)
        counts = queries.seat_counts(category=category, now=now)
    if voucher is None:
        voucher = _locked_voucher(
            congress=registration.congress,
            code=voucher_code,
            organisation_id=registration.person.organisation_id,
            now=now,
            is_verified=claim.is_verified,
        )
    fee = _price(
        registration, claim=claim, country=country, voucher=voucher, inputs=inputs, now=now
    )
    registration.payment_method = payment_method if fee.amount_minor else Method.NONE
    if _seat_is_free(category, counts):
        initial_state(registration=registration, category=category, settings=settings, now=now)
    else:
        registration.status = S.WAITLISTED
        registration.waitlisted_at = now
    if invitation is None:
        # The last statement before the COMMIT, which `insert_last` may send it with.
        insert_last(registration)
    else:
        insert(registration)
        mark_invitation_used(invitation=invitation, registration=registration, now=now)
    return fee


def _price(
    registration: Registration,
    *,
    claim: MembershipClaim,
    country: str,
    voucher: Voucher | None,
    inputs: tuple,
    now: datetime.datetime,
) -> Fee:
    """Set the registration's fee (and, for a membership waiting for verification, the
    member fee it would owe once verified); pure computation, no query."""

    def price(*, is_member: bool) -> Fee:
        return fee_for(
            category=registration.category,
            congress=registration.congress,
            country=country,
            is_member=is_member,
            voucher=voucher,
            at=now,
            inputs=inputs,
        )

    fee = price(is_member=claim.member_rate_applies)
    registration.voucher = voucher
    registration.currency = fee.currency
    registration.amount_due_minor = fee.amount_minor
    registration.fee_reasons = fee.reasons
    if claim.state == Registration.Membership.PENDING:
        registration.member_amount_minor = price(is_member=True).amount_minor
    return fee


def _membership_link(registration: Registration) -> str:
    """The one-time link for the organisation's contact when the membership waits for
    verification (its hash is saved with the row); "" otherwise. A delegation's contact
    gets one request for the whole delegation (services.groups)."""
    if registration.membership != Registration.Membership.PENDING or registration.group_id:
        return ""
    token = make_token()
    registration.membership_token_hash = hash_token(token)
    return token


def _after_commit(
    *, registration: Registration, token: str, membership_token: str, send_email: bool
) -> None:
    """What follows the commit, outside the locks: the audit row, registration_confirmed,
    and the e-mails (the registrant's, a delegate's saying the head pays, and the membership
    request), rendered and sent by the task queue, not while the registrant waits."""
    from registrations.tasks import send_registration_emails_task

    # robust: the registration stands once committed; a database that fails here (a lock
    # timeout) is logged, never answered as a server error. Each is one statement on its
    # own (autocommit).
    transaction.on_commit(
        lambda: record_audit(
            action="registration.created",
            congress=registration.congress,
            target=registration,
            detail={"status": registration.status, "category": registration.category_id},
        ),
        robust=True,
    )
    if send_email:
        transaction.on_commit(
            lambda: send_registration_emails_task.enqueue(registration.pk, token, membership_token),
            robust=True,
        )
    # The status is read on commit: a seat decided in the database is known only then.
    send_confirmed_on_commit(registration)


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
