import datetime
import smtplib

import pytest
import time_machine
from django.core import mail

from congress.models import AuditEvent
from members.models import Person
from registrations import services
from registrations.exceptions import (
    AlreadyRegistered,
    CategoryFull,
    InvalidCategory,
    InvalidTransition,
    InvalidVoucher,
    OfferExpired,
    RegistrationClosed,
    SameCategory,
    VoucherExhausted,
)
from registrations.models import Registration, RegistrationSettings
from registrations.self_service import registration_for_access_token
from registrations.signals import registration_cancelled, registration_confirmed
from tests.factories.members import MembershipFactory, NetworkFactory, OrganisationFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status
NOW = datetime.datetime(2027, 1, 10, 12, 0, tzinfo=datetime.UTC)


def details(email="amina@example.org", **extra):
    return services.RegistrantDetails(
        email=email, name=extra.pop("name", "أمينة بن سالم"), country="TN", **extra
    )


@pytest.fixture
def category(congress):
    category = RegistrationCategoryFactory(congress=congress, capacity=2)
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


@pytest.fixture
def free_category(congress):
    return RegistrationCategoryFactory(congress=congress, capacity=1)


@pytest.fixture
def signals_received():
    received = []

    def confirmed(sender, registration, **kwargs):
        received.append(("confirmed", registration.pk))

    def cancelled(sender, registration, **kwargs):
        received.append(("cancelled", registration.pk))

    registration_confirmed.connect(confirmed)
    registration_cancelled.connect(cancelled)
    yield received
    registration_confirmed.disconnect(confirmed)
    registration_cancelled.disconnect(cancelled)


def register(congress, category, email="amina@example.org", **kwargs):
    return services.register_participant(
        congress=congress, category=category, details=details(email), now=NOW, **kwargs
    )


def test_register_participant_with_fee_is_pending_with_seat_hold(congress, category):
    outcome = register(congress, category)

    registration = outcome.registration
    assert (registration.status, registration.amount_due_minor, registration.fee_reasons) == (
        S.PENDING_PAYMENT,
        20000,
        ["standard"],
    )
    assert registration.hold_expires_at == NOW + datetime.timedelta(days=14)
    assert registration.payment_reference.startswith("REG-")


def test_register_participant_free_category_is_confirmed_and_signalled_once(
    congress, free_category, signals_received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(congress, free_category)

    assert outcome.registration.status == S.CONFIRMED
    assert signals_received == [("confirmed", outcome.registration.pk)]


def test_register_participant_sends_email_with_private_link(
    congress, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(congress, category)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert f"/registration/{outcome.access_token}/" in mail.outbox[0].body
    assert registration_for_access_token(token=outcome.access_token) == outcome.registration


def test_register_participant_mail_server_down_still_registers(
    congress, category, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(message):
        raise smtplib.SMTPConnectError(421, "mail server down")

    monkeypatch.setattr("common.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = register(congress, category)

    assert mail.outbox == []
    assert registration_for_access_token(token=outcome.access_token) == outcome.registration


def test_register_participant_email_case_insensitive_cannot_register_twice(congress, category):
    register(congress, category, email="Amina@Example.org")

    with pytest.raises(AlreadyRegistered):
        register(congress, category, email="amina@example.ORG")

    assert Registration.objects.filter(congress=congress).count() == 1
    assert Person.objects.filter(email__iexact="amina@example.org").count() == 1


def test_register_participant_after_cancellation_may_register_again(congress, category):
    first = register(congress, category).registration
    services.cancel_registration(registration=first, now=NOW)

    second = register(congress, category).registration

    assert second.person_id == first.person_id
    assert second.status == S.PENDING_PAYMENT


def test_register_participant_full_category_is_waitlisted(congress, free_category):
    register(congress, free_category, email="first@example.org")

    outcome = register(congress, free_category, email="second@example.org")

    assert outcome.registration.status == S.WAITLISTED
    assert outcome.registration.waitlisted_at == NOW


def test_register_participant_closed_category_is_refused(congress):
    category = RegistrationCategoryFactory(
        congress=congress, closes_at=NOW - datetime.timedelta(days=1)
    )

    with pytest.raises(RegistrationClosed):
        register(congress, category)

    assert Registration.objects.count() == 0


def test_register_participant_requires_approval_is_pending_approval(congress):
    category = RegistrationCategoryFactory(congress=congress, requires_approval=True)

    outcome = register(congress, category)

    assert outcome.registration.status == S.PENDING_APPROVAL


def test_register_participant_member_rate_for_member_organisation_verified_by_domain(
    congress, category
):
    network = NetworkFactory()
    congress.network = network
    congress.save()
    organisation = OrganisationFactory(email_domains=["example.org"])
    MembershipFactory(organisation=organisation, network=network)
    FeeRuleFactory(category=category, is_member_rate=True, amount_minor=12000)

    outcome = services.register_participant(
        congress=congress,
        category=category,
        details=details(organisation=organisation),
        now=NOW,
    )

    assert (outcome.registration.amount_due_minor, outcome.registration.fee_reasons) == (
        12000,
        ["member_rate"],
    )


def test_register_participant_waiver_voucher_confirms_and_counts_use(congress, category):
    voucher = VoucherFactory(congress=congress, code="SCHOLAR", usage_limit=1)

    outcome = register(congress, category, voucher_code="scholar")

    voucher.refresh_from_db()
    assert (outcome.registration.status, outcome.registration.fee_reasons) == (
        S.CONFIRMED,
        ["standard", "waiver"],
    )
    assert voucher.times_used == 1


def test_register_participant_voucher_over_limit_is_refused(congress, category):
    VoucherFactory(congress=congress, code="ONCE", usage_limit=1)
    register(congress, category, email="a@example.org", voucher_code="ONCE")

    with pytest.raises(VoucherExhausted):
        register(congress, category, email="b@example.org", voucher_code="ONCE")

    assert Registration.objects.filter(congress=congress).count() == 1


def test_register_participant_voucher_reserved_for_other_organisation_is_invalid(
    congress, category
):
    VoucherFactory(congress=congress, code="ORG", organisation=OrganisationFactory())

    with pytest.raises(InvalidVoucher):
        register(congress, category, voucher_code="ORG")

    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("voucher_fields", "error", "message"),
    [
        (
            {"valid_until": NOW - datetime.timedelta(days=1)},
            InvalidVoucher,
            "This voucher code has expired.",
        ),
        (
            {"valid_from": NOW + datetime.timedelta(days=1)},
            InvalidVoucher,
            "This voucher code is not valid yet.",
        ),
        (
            {"usage_limit": 1, "times_used": 1},
            VoucherExhausted,
            "This voucher code has already been used as many times as allowed.",
        ),
        (
            {"organisation": "other"},
            InvalidVoucher,
            "This voucher code is reserved for another organisation.",
        ),
    ],
    ids=["expired", "not-yet-valid", "used-up", "other-organisation"],
)
def test_quote_fee_refuses_waiver_voucher_as_registration_does(
    congress, category, voucher_fields, error, message
):
    if voucher_fields.get("organisation") == "other":
        voucher_fields = {"organisation": OrganisationFactory()}
    VoucherFactory(congress=congress, code="SCHOLAR", **voucher_fields)

    with pytest.raises(error) as quoted:
        services.quote_fee(
            congress=congress,
            category=category,
            country="TN",
            organisation=None,
            voucher_code="scholar",
            now=NOW,
        )
    with pytest.raises(error) as registered:
        register(congress, category, voucher_code="scholar")

    assert (str(quoted.value), str(registered.value)) == (message, message)
    assert Registration.objects.count() == 0


def test_cancel_registration_offers_seat_to_first_waitlisted(
    congress, free_category, django_capture_on_commit_callbacks
):
    holder = register(congress, free_category, email="holder@example.org").registration
    first = register(congress, free_category, email="first@example.org").registration
    second = register(congress, free_category, email="second@example.org").registration
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=holder, now=NOW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.offer_expires_at == NOW + datetime.timedelta(hours=48)
    assert second.offer_expires_at is None
    assert [message.to for message in mail.outbox] == [["first@example.org"]]


def test_waitlist_offer_email_gives_the_deadline_in_the_congress_time_zone(
    congress, free_category, django_capture_on_commit_callbacks
):
    holder = register(congress, free_category, email="holder@example.org").registration
    register(congress, free_category, email="first@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=holder, now=NOW)

    assert mail.outbox[0].body.splitlines()[2] == (
        "A seat has freed up. It is held for you until Jan. 12, 2027, 1 p.m. "
        "(Europe/Paris time). Open the private link from your registration email and "
        'choose "Accept the seat".'
    )


def test_accept_waitlist_offer_confirms_free_registration(congress, free_category):
    holder = register(congress, free_category, email="holder@example.org").registration
    waiting = register(congress, free_category, email="waiting@example.org").registration
    services.cancel_registration(registration=holder, now=NOW)

    accepted = services.accept_waitlist_offer(
        registration=waiting, now=NOW + datetime.timedelta(hours=1)
    )

    assert accepted.status == S.CONFIRMED


def test_accept_waitlist_offer_after_expiry_is_refused(congress, free_category):
    holder = register(congress, free_category, email="holder@example.org").registration
    waiting = register(congress, free_category, email="waiting@example.org").registration
    services.cancel_registration(registration=holder, now=NOW)

    with pytest.raises(OfferExpired):
        services.accept_waitlist_offer(registration=waiting, now=NOW + datetime.timedelta(days=3))

    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_release_expired_frees_held_seat_for_waitlist(congress, category, signals_received):
    RegistrationSettings.objects.create(congress=congress, transfer_hold_days=1)
    held = register(congress, category, email="held@example.org").registration
    register(congress, category, email="other@example.org")
    waiting = register(congress, category, email="waiting@example.org").registration

    released = services.release_expired(now=NOW + datetime.timedelta(days=2))

    held.refresh_from_db()
    waiting.refresh_from_db()
    assert released == 2
    assert (held.status, held.status_reason) == (S.CANCELLED, "hold_expired")
    assert waiting.offer_expires_at is not None


def test_new_registrant_does_not_jump_the_waitlist_after_hold_expiry(congress, free_category):
    category = free_category
    FeeRuleFactory(category=category, amount_minor=100)
    RegistrationSettings.objects.create(congress=congress, transfer_hold_days=1)
    register(congress, category, email="held@example.org")
    waiting = register(congress, category, email="waiting@example.org").registration

    late = services.register_participant(
        congress=congress,
        category=category,
        details=details("late@example.org"),
        now=NOW + datetime.timedelta(days=2),
    ).registration

    waiting.refresh_from_db()
    assert late.status == S.WAITLISTED
    assert waiting.offer_expires_at is not None


def test_approve_registration_with_fee_is_pending_payment_and_audited(congress, organiser):
    category = RegistrationCategoryFactory(congress=congress, requires_approval=True)
    FeeRuleFactory(category=category, amount_minor=5000)
    registration = register(congress, category).registration

    approved = services.approve_registration(registration=registration, actor=organiser, now=NOW)

    assert approved.status == S.PENDING_PAYMENT
    assert AuditEvent.objects.filter(action="registration.approved", actor=organiser).count() == 1


def test_approve_confirmed_registration_is_invalid(congress, free_category, organiser):
    registration = register(congress, free_category).registration

    with pytest.raises(InvalidTransition):
        services.approve_registration(registration=registration, actor=organiser)

    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_mark_transfer_received_confirms_and_signals_once(
    congress, category, organiser, signals_received, django_capture_on_commit_callbacks
):
    registration = register(congress, category).registration

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_transfer_received(registration=registration, actor=organiser)
        services.mark_transfer_received(registration=registration, actor=organiser, amount_minor=1)

    registration.refresh_from_db()
    assert (registration.status, registration.amount_paid_minor) == (S.CONFIRMED, 20001)
    assert signals_received == [("confirmed", registration.pk)]
    assert AuditEvent.objects.filter(action="payment.recorded").count() == 2


def test_move_registration_recomputes_fee(congress, category, organiser):
    registration = register(congress, category).registration
    press = RegistrationCategoryFactory(congress=congress, kind="press")

    moved = services.move_registration(registration=registration, category=press, actor=organiser)

    assert (moved.category, moved.status, moved.amount_due_minor) == (press, S.CONFIRMED, 0)


def test_cancel_registration_refund_policy_partial_after_full_deadline(
    congress, category, organiser
):
    RegistrationSettings.objects.create(
        congress=congress,
        full_refund_until=NOW,
        partial_refund_until=NOW + datetime.timedelta(days=30),
        partial_refund_percent=50,
    )
    registration = register(congress, category).registration
    services.mark_transfer_received(registration=registration, actor=organiser)

    _registration, refund = services.cancel_registration(
        registration=registration, now=NOW + datetime.timedelta(days=1)
    )

    assert refund == 10000
    assert AuditEvent.objects.get(action="refund.due").detail == {"amount_minor": 10000}


def test_cancel_registration_twice_is_invalid(congress, category, signals_received):
    registration = register(congress, category).registration
    services.cancel_registration(registration=registration, now=NOW)

    with pytest.raises(InvalidTransition):
        services.cancel_registration(registration=registration, now=NOW)

    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_register_group_registers_delegates_under_one_reference(congress, category):
    organisation = OrganisationFactory(country="NG")

    with time_machine.travel(NOW, tick=False):
        result = services.register_group(
            congress=congress,
            category=category,
            organisation=organisation,
            contact=details("contact@example.org", name="Chidi"),
            delegates=[details("one@example.org"), details("two@example.org")],
            payment_method="transfer",
        )

    statuses = [item.registration.status for item in result.outcomes]
    assert statuses == [S.PENDING_PAYMENT, S.PENDING_PAYMENT]
    assert result.amount_due_minor == 40000
    assert {item.registration.group_id for item in result.outcomes} == {result.group.pk}


def test_group_payment_confirms_every_delegate(congress, category, organiser):
    organisation = OrganisationFactory()
    result = services.register_group(
        congress=congress,
        category=category,
        organisation=organisation,
        contact=details("contact@example.org"),
        delegates=[details("one@example.org"), details("two@example.org")],
        payment_method="transfer",
    )

    services.record_payment(
        group=result.group, amount_minor=40000, currency="EUR", method="transfer", actor=organiser
    )

    assert list(
        Registration.objects.filter(group=result.group).values_list("status", flat=True)
    ) == [S.CONFIRMED, S.CONFIRMED]


def test_register_group_with_one_duplicate_creates_nothing(congress, category):
    register(congress, category, email="two@example.org")

    with pytest.raises(AlreadyRegistered):
        services.register_group(
            congress=congress,
            category=category,
            organisation=OrganisationFactory(),
            contact=details("contact@example.org"),
            delegates=[details("one@example.org"), details("two@example.org")],
            payment_method="transfer",
        )

    assert Registration.objects.filter(congress=congress).count() == 1


def test_move_registration_confirmed_into_full_category_is_refused_and_changes_nothing(
    congress, category, organiser, signals_received, django_capture_on_commit_callbacks
):
    full = RegistrationCategoryFactory(congress=congress, kind="press", name="Press", capacity=0)
    registration = register(congress, category).registration
    services.mark_transfer_received(registration=registration, actor=organiser)
    signals_received.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CategoryFull) as caught:
        services.move_registration(registration=registration, category=full, actor=organiser)

    registration.refresh_from_db()
    assert str(caught.value) == (
        "“Press” has no free seat (or people are already waiting for one): "
        "the registration was not moved."
    )
    assert (registration.category, registration.status) == (category, S.CONFIRMED)
    assert signals_received == []
    assert AuditEvent.objects.filter(action="registration.moved").count() == 0


def test_move_registration_waitlisted_into_full_category_stays_waitlisted(congress, organiser):
    full = RegistrationCategoryFactory(congress=congress, capacity=1)
    other_full = RegistrationCategoryFactory(congress=congress, capacity=0)
    register(congress, full, email="holder@example.org")
    waiting = register(congress, full, email="waiting@example.org").registration

    moved = services.move_registration(registration=waiting, category=other_full, actor=organiser)

    assert (moved.category, moved.status) == (other_full, S.WAITLISTED)


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        (
            "other_congress",
            InvalidCategory,
            "Choose a registration category of this congress.",
        ),
        (
            "same",
            SameCategory,
            "The registration is already in this category: nothing was changed.",
        ),
    ],
)
def test_move_registration_to_invalid_category_is_refused_and_changes_nothing(
    congress, category, organiser, target, error, message
):
    registration = register(congress, category).registration
    destination = (
        category if target == "same" else RegistrationCategoryFactory(kind="press", capacity=5)
    )

    with pytest.raises(error) as caught:
        services.move_registration(registration=registration, category=destination, actor=organiser)

    registration.refresh_from_db()
    assert str(caught.value) == message
    assert (registration.category, registration.status) == (category, S.PENDING_PAYMENT)
