"""Fee quotes: what a registrant would be charged now, with no lock taken and no voucher
use spent (the live price on the registration form and the public categories API)."""

import datetime
from dataclasses import replace

from django.utils import timezone

from congress.models import Congress
from members.models import Organisation
from registrations import queries
from registrations.models import Registration, RegistrationCategory, Voucher
from registrations.services.fees import Fee
from registrations.services.membership import membership_claim
from registrations.services.registration import check_voucher, fee_for


def quote_fees(
    *,
    congress: Congress,
    categories: list[RegistrationCategory],
    country: str,
    organisation: Organisation | None,
    voucher_code: str = "",
    email: str = "",
    now: datetime.datetime | None = None,
) -> dict[int, Fee]:
    """The fee a registrant would be charged now in each of `categories` (no lock, no
    voucher use taken), keyed by category pk. Categories should come with their
    `fee_rules` prefetched (else one query each).

    The member rate counts only for a verified membership, as at registration: with an
    e-mail address at one of the organisation's domains. Otherwise, for a member
    organisation, `Fee.member_amount_minor` says what the fee becomes once verified. The
    voucher passes the same `check_voucher` as at registration; raises what it raises.
    """
    now = now or timezone.now()
    claim = membership_claim(congress=congress, organisation=organisation, email=email)
    voucher = None
    code = voucher_code.strip().upper()
    if code:
        voucher = check_voucher(
            voucher=Voucher.objects.filter(congress=congress, code=code).first(),
            organisation_id=organisation.pk if organisation else None,
            now=now,
            is_verified=claim.is_verified,
        )
    groups = queries.country_groups(congress=congress)
    fees = {}
    for category in categories:
        inputs = (list(category.fee_rules.all()), groups)
        fee = fee_for(
            category=category,
            congress=congress,
            country=country,
            is_member=claim.member_rate_applies,
            voucher=voucher,
            at=now,
            inputs=inputs,
        )
        if claim.state == Registration.Membership.PENDING:
            member_fee = fee_for(
                category=category,
                congress=congress,
                country=country,
                is_member=True,
                voucher=voucher,
                at=now,
                inputs=inputs,
            )
            fee = replace(fee, member_amount_minor=member_fee.amount_minor)
        fees[category.pk] = fee
    return fees


def quote_fee(
    *,
    congress: Congress,
    category: RegistrationCategory,
    country: str,
    organisation: Organisation | None,
    voucher_code: str = "",
    email: str = "",
    now: datetime.datetime | None = None,
) -> Fee:
    """The fee a registrant would be charged now in one category: see `quote_fees`."""
    return quote_fees(
        congress=congress,
        categories=[category],
        country=country,
        organisation=organisation,
        voucher_code=voucher_code,
        email=email,
        now=now,
    )[category.pk]
