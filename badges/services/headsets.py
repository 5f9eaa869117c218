"""Interpretation headsets lent at the desk by badge scan: lend, return, outstanding."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from badges.exceptions import BadgeNotValid, BadgeRevoked, HeadsetAlreadyOut, NoOpenLoan
from badges.models import Credential, HeadsetLoan
from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration


def _normalise(headset: str) -> str:
    return " ".join(str(headset).split()).upper()[:20]


def lend_headset(
    *,
    congress: Congress,
    token: str,
    headset: str,
    phone: str = "",
    deposit_minor: int = 0,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> HeadsetLoan:
    """Lend `headset` to the holder of the badge `token`.

    Raises BadgeNotValid (unknown, foreign or unconfirmed badge), BadgeRevoked, and
    HeadsetAlreadyOut when the headset is out or the person already holds one (partial
    unique constraints decide between two desks). The deposit is recorded in the
    congress's currency. Audited.
    """
    headset = _normalise(headset)
    credential = (
        Credential.objects.select_related("registration")
        .filter(token=token, registration__congress=congress)
        .first()
    )
    if credential is None or credential.registration.status != Registration.Status.CONFIRMED:
        raise BadgeNotValid()
    if credential.revoked_at is not None:
        raise BadgeRevoked(credential=credential)
    try:
        with transaction.atomic():
            loan = HeadsetLoan.objects.create(
                congress=congress,
                registration=credential.registration,
                headset=headset,
                phone=" ".join(phone.split())[:40],
                deposit_minor=deposit_minor,
                deposit_currency=congress.currency if deposit_minor else "",
                issued_at=now or timezone.now(),
                issued_by=actor if actor is not None and actor.is_authenticated else None,
            )
            record_audit(
                action="badges.headset_lent",
                congress=congress,
                actor=actor,
                target=loan,
                detail={"headset": headset, "deposit_minor": deposit_minor},
            )
    except IntegrityError:
        raise HeadsetAlreadyOut() from None
    return loan


def return_headset(
    *,
    congress: Congress,
    headset: str,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> HeadsetLoan:
    """Close the open loan of `headset`. Raises NoOpenLoan. Locks the loan row. Audited."""
    with transaction.atomic():
        loan = (
            HeadsetLoan.objects.select_for_update()
            .filter(congress=congress, headset=_normalise(headset), returned_at__isnull=True)
            .first()
        )
        if loan is None:
            raise NoOpenLoan()
        loan.returned_at = now or timezone.now()
        loan.returned_by = actor if actor is not None and actor.is_authenticated else None
        loan.save(update_fields=["returned_at", "returned_by"])
        record_audit(
            action="badges.headset_returned",
            congress=congress,
            actor=actor,
            target=loan,
            detail={"headset": loan.headset},
        )
    return loan


def outstanding_loans(*, congress: Congress) -> QuerySet[HeadsetLoan]:
    """Headsets not returned yet, with who holds them (organisers' list), oldest first."""
    return (
        HeadsetLoan.objects.filter(congress=congress, returned_at__isnull=True)
        .select_related("registration__person__organisation")
        .order_by("issued_at", "pk")
    )
