"""The single fee computation: what is shown is what is charged."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from registrations.models import CountryGroup, FeeRule, RegistrationCategory, Voucher

# Machine code -> text shown to the participant ("why this amount").
FEE_REASON_LABELS = {
    "standard": _("Standard rate"),
    "early_bird": _("Early bird"),
    "member_rate": _("Member rate"),
    "country_group": _("Country group rate"),
    "voucher_fixed": _("Voucher discount"),
    "voucher_percent": _("Voucher discount"),
    "waiver": _("Waiver"),
    "travel_grant": _("Travel grant"),
    "no_fee": _("No fee for this category"),
}


@dataclass(frozen=True)
class Fee:
    amount_minor: int
    currency: str
    base_amount_minor: int
    reasons: list[str] = field(default_factory=list)
    country_group_code: str = ""
    # For a member organisation whose membership is not verified yet: the fee once verified.
    member_amount_minor: int | None = None

    @property
    def reason_labels(self) -> list[str]:
        return fee_reason_labels(self.reasons)


def fee_reason_labels(codes) -> list[str]:
    """The translated words for stored fee reason codes (a code no longer known stays as is)."""
    return [str(FEE_REASON_LABELS.get(code, code)) for code in codes or ()]


def country_group_for(*, groups: list[CountryGroup], country: str) -> CountryGroup | None:
    for group in groups:
        if country and country in group.countries:
            return group
    return None


def _pick_rule(rules: list[FeeRule], *, group_id: int | None, is_member: bool) -> FeeRule | None:
    """Most specific rule first: (group, member), (group), (any, member), (any)."""
    by_scope = {(rule.country_group_id, rule.is_member_rate): rule for rule in rules}
    candidates = []
    if group_id is not None:
        if is_member:
            candidates.append((group_id, True))
        candidates.append((group_id, False))
    if is_member:
        candidates.append((None, True))
    candidates.append((None, False))
    for scope in candidates:
        if scope in by_scope:
            return by_scope[scope]
    return None


def voucher_discount(*, voucher: Voucher, amount_minor: int) -> tuple[int, str]:
    if voucher.kind == Voucher.Kind.WAIVER:
        return amount_minor, "waiver"
    if voucher.kind == Voucher.Kind.PERCENT:
        return amount_minor * min(voucher.value, 100) // 100, "voucher_percent"
    return min(voucher.value, amount_minor), "voucher_fixed"


def compute_fee(
    *,
    category: RegistrationCategory,
    currency: str,
    rules: list[FeeRule],
    groups: list[CountryGroup],
    country: str,
    is_member: bool,
    at: datetime.datetime,
    voucher: Voucher | None = None,
) -> Fee:
    """The fee charged for `category` at time `at`; pure, no queries.

    `rules` are the category's fee rules and `groups` the congress's country groups
    (callers load them once; see `queries.fee_inputs`). No rule means no fee.
    Reasons list every rule applied, in order, as machine codes (see FEE_REASON_LABELS).
    """
    group = country_group_for(groups=groups, country=country)
    rule = _pick_rule(rules, group_id=group.pk if group else None, is_member=is_member)
    if rule is None:
        return Fee(0, currency, 0, ["no_fee"])
    reasons = []
    amount = rule.amount_minor
    if rule.country_group_id is not None:
        reasons.append("country_group")
    if rule.is_member_rate:
        reasons.append("member_rate")
    if (
        rule.early_bird_amount_minor is not None
        and rule.early_bird_until is not None
        and at <= rule.early_bird_until
    ):
        amount = rule.early_bird_amount_minor
        reasons.append("early_bird")
    if not reasons:
        reasons.append("standard")
    base = amount
    if voucher is not None and amount > 0:
        discount, code = voucher_discount(voucher=voucher, amount_minor=amount)
        amount -= discount
        reasons.append(code)
    return Fee(amount, currency, base, reasons, group.code if group else "")
