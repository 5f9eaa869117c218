"""Invoices and credit notes: gapless numbers per congress, VAT per congress settings.

An invoice is issued on request (the participant's invoices page, or an organiser) for a
registration or a delegation (group), made out to its billing details. Once a payer has an
invoice, `reconcile_invoices` keeps what is invoiced equal to what is owed: a cancellation or
a refund issues a credit note for the difference, a higher fee (a move to another category)
a supplementary invoice. Fees include VAT: the VAT shown is the part of the fee it makes up.

Numbers: each congress has one sequence (InvoiceSequence) shared by invoices and credit
notes. A number is allocated under a row lock on that sequence in the same transaction as
the invoice row, so a rolled-back invoice gives its number back: no gap, no duplicate.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.i18n import localized
from congress.models import Congress
from congress.services import record_audit
from registrations.exceptions import InvoiceUnavailable
from registrations.models import (
    BillingDetails,
    Invoice,
    InvoiceSequence,
    InvoiceSettings,
    Payment,
    Registration,
    RegistrationGroup,
)

S = Registration.Status
ACTIVE = (S.PENDING_PAYMENT, S.PENDING_APPROVAL, S.CONFIRMED, S.WAITLISTED)


def invoice_settings_for(*, congress: Congress) -> InvoiceSettings:
    return InvoiceSettings.objects.filter(congress=congress).first() or InvoiceSettings(
        congress=congress
    )


def set_billing_details(
    *,
    name: str,
    address: str,
    country: str = "",
    vat_number: str = "",
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
) -> BillingDetails:
    """Save whom the invoices of a registration or a delegation are made out to. Invoices
    already issued keep the details they were issued with."""
    details, _created = BillingDetails.objects.update_or_create(
        registration=registration,
        group=group,
        defaults={
            "name": name.strip(),
            "address": address.strip(),
            "country": country,
            "vat_number": vat_number.strip(),
        },
    )
    return details


def lock_sequence(congress: Congress) -> InvoiceSequence:
    """Lock the congress's invoice sequence row (created on first use) until the end of the
    transaction: invoicing for one congress happens one at a time."""
    InvoiceSequence.objects.get_or_create(congress=congress)
    return InvoiceSequence.objects.select_for_update().get(congress=congress)


def allocate_invoice_number(*, congress: Congress) -> int:
    """The next number of the congress's sequence. Call inside the transaction that creates
    the invoice: the sequence row stays locked until it commits."""
    sequence = lock_sequence(congress)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _members(registration: Registration | None, group: RegistrationGroup | None) -> list:
    """The registrations invoiced, as they are now in the database."""
    members = Registration.objects.select_related("person", "category")
    if registration is not None:
        return [members.get(pk=registration.pk)]
    return list(members.filter(group=group).order_by("pk"))


def _owed(member: Registration) -> int:
    """What the payer owes for one registration: the fee while it is active, what was kept
    after a cancellation or rejection; refunds subtract."""
    if member.status in ACTIVE:
        return max(member.amount_due_minor - member.amount_refunded_minor, 0)
    return max(member.amount_paid_minor - member.amount_refunded_minor, 0)


def _invoiced(registration: Registration | None, group: RegistrationGroup | None) -> int:
    invoices = Invoice.objects.filter(registration=registration, group=group)
    return sum(item.signed_total_minor for item in invoices)


def _paid_on(members: list[Registration]) -> datetime.date | None:
    if any(member.amount_outstanding_minor for member in members if member.status in ACTIVE):
        return None
    settled = Payment.objects.filter(
        registration__in=[member.pk for member in members], status=Payment.Status.SUCCEEDED
    ).aggregate(last=Max("settled_at"))["last"]
    if settled is None and members and members[0].group_id:
        settled = Payment.objects.filter(
            group_id=members[0].group_id, status=Payment.Status.SUCCEEDED
        ).aggregate(last=Max("settled_at"))["last"]
    return timezone.localdate(settled) if settled else None


def _billing(registration, group) -> BillingDetails:
    payer = registration or group
    details = BillingDetails.objects.filter(registration=registration, group=group).first()
    if details is not None:
        return details
    if registration is not None:
        return BillingDetails(name=registration.person.name, address="", country="")
    organisation = payer.organisation
    return BillingDetails(
        name=organisation.name, address="", country=str(organisation.country or "")
    )


def _lines(members: list[Registration], amounts: dict[int, int]) -> list[dict]:
    lines = []
    for member in members:
        if not amounts.get(member.pk):
            continue
        category = localized(member.category.name, member.category.name_translations)
        lines.append(
            {
                "description": _("Registration fee: %(name)s (%(category)s)")
                % {"name": member.person.name, "category": category},
                "amount_minor": amounts[member.pk],
            }
        )
    return lines


def _create_invoice(
    *,
    congress: Congress,
    registration: Registration | None,
    group: RegistrationGroup | None,
    kind: str,
    total: int,
    lines: list[dict],
    reason: str,
    actor: AbstractBaseUser | None,
    now: datetime.datetime,
    language: str,
    credited: Invoice | None = None,
    paid_on: datetime.date | None = None,
) -> Invoice:
    invoice_settings = invoice_settings_for(congress=congress)
    billing = _billing(registration, group)
    rate = invoice_settings.vat_rate_basis_points
    vat = (total * rate + (10000 + rate) // 2) // (10000 + rate) if rate else 0
    number = allocate_invoice_number(congress=congress)
    invoice = Invoice.objects.create(
        congress=congress,
        number=number,
        display_number=f"{invoice_settings.number_prefix}{number:05d}",
        kind=kind,
        registration=registration,
        group=group,
        credited_invoice=credited,
        billing_name=billing.name,
        billing_address=billing.address,
        billing_country=str(billing.country or ""),
        billing_vat_number=billing.vat_number,
        currency=congress.currency,
        total_minor=total,
        vat_minor=vat,
        vat_rate_basis_points=rate,
        vat_exemption_text="" if rate else invoice_settings.vat_exemption_text,
        lines=lines,
        reason=reason,
        paid_on=paid_on,
        issued_at=now,
        language=language,
        issued_by=actor,
    )
    record_audit(
        action=f"{kind}.issued",
        congress=congress,
        actor=actor,
        target=invoice,
        detail={"number": invoice.display_number, "total_minor": total},
    )
    return invoice


def issue_invoice(
    *,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Invoice:
    """The invoice for what a registration or a delegation owes; when it has invoices
    already, the latest one (after reconciling: nothing is invoiced twice).

    Locks the congress's invoice sequence (which also serialises invoicing per congress, so
    two clicks make one invoice). Raises InvoiceUnavailable when nothing is owed.
    """
    now = now or timezone.now()
    payer = registration or group
    congress = payer.congress
    with transaction.atomic():
        lock_sequence(congress)
        existing = Invoice.objects.filter(registration=registration, group=group)
        if existing.exists():
            reconcile_invoices(registration=registration, group=group, actor=actor, now=now)
            return existing.order_by("-number").first()
        members = _members(registration, group)
        amounts = {member.pk: _owed(member) for member in members}
        total = sum(amounts.values())
        if total <= 0:
            raise InvoiceUnavailable()
        language = registration.language if registration is not None else _group_language(group)
        with translation.override(language):
            lines = _lines(members, amounts)
        return _create_invoice(
            congress=congress,
            registration=registration,
            group=group,
            kind=Invoice.Kind.INVOICE,
            total=total,
            lines=lines,
            reason="",
            actor=actor,
            now=now,
            language=language,
            paid_on=_paid_on(members),
        )


def _group_language(group: RegistrationGroup) -> str:
    return getattr(group.contact, "preferred_language", "") or "en"


def reconcile_invoices(
    *,
    registration: Registration | None = None,
    group: RegistrationGroup | None = None,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Invoice | None:
    """Bring what is invoiced to a payer back to what it owes, when it has invoices: a
    credit note for a cancellation or a refund, a supplementary invoice for a higher fee.

    Returns the document issued, or None when nothing changed (or nothing was ever
    invoiced). Locks the congress's invoice sequence; idempotent.
    """
    now = now or timezone.now()
    if group is None and registration is not None and registration.group_id:
        if Invoice.objects.filter(group_id=registration.group_id).exists():
            registration, group = None, registration.group
    payer = registration or group
    if payer is None or not Invoice.objects.filter(registration=registration, group=group).exists():
        return None
    congress = payer.congress
    with transaction.atomic():
        lock_sequence(congress)
        members = _members(registration, group)
        owed = sum(_owed(member) for member in members)
        difference = owed - _invoiced(registration, group)
        if difference == 0:
            return None
        latest = (
            Invoice.objects.filter(registration=registration, group=group, kind="invoice")
            .order_by("-number")
            .first()
        )
        with translation.override(latest.language):
            if difference < 0:
                reason = "cancelled" if all(m.status not in ACTIVE for m in members) else "refund"
                description = (
                    _("Cancellation of invoice %(number)s")
                    if reason == "cancelled"
                    else _("Refund on invoice %(number)s")
                ) % {"number": latest.display_number}
            else:
                reason = "fee_increase"
                description = _("Supplement to invoice %(number)s") % {
                    "number": latest.display_number
                }
        return _create_invoice(
            congress=congress,
            registration=registration,
            group=group,
            kind=Invoice.Kind.CREDIT_NOTE if difference < 0 else Invoice.Kind.INVOICE,
            total=abs(difference),
            lines=[{"description": description, "amount_minor": abs(difference)}],
            reason=reason,
            actor=actor,
            now=now,
            language=latest.language,
            credited=latest if difference < 0 else None,
            paid_on=_paid_on(members) if difference > 0 else None,
        )
