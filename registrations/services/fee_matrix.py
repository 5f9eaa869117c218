"""The fee matrix an organiser checks while setting fees: for one category, the fee each kind
of participant would be charged (country group, member or not, before or after the early-bird
date), computed by `compute_fee`, the very function registration charges with."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.i18n import localized
from registrations.models import CountryGroup, FeeRule, RegistrationCategory
from registrations.services.fees import Fee, compute_fee


@dataclass(frozen=True)
class MatrixColumn:
    is_member: bool
    at: datetime.datetime | None  # None when no rule has an early-bird date
    is_early: bool


@dataclass(frozen=True)
class MatrixRow:
    label: str
    group_id: int | None
    fees: list[Fee | None]  # None: the group has no country, nobody can fall in it


@dataclass(frozen=True)
class FeeMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    early_bird_until: datetime.datetime | None
    early_bird_last: datetime.datetime | None


def fee_matrix(
    *,
    category: RegistrationCategory,
    currency: str,
    rules: list[FeeRule],
    groups: list[CountryGroup],
    now: datetime.datetime,
) -> FeeMatrix:
    """The fee of `category` for every country group (and every other country), member or
    not, before the earliest early-bird date and after the latest one. Pure: no queries.

    `rules` may hold an unsaved rule (the live preview of the form being edited). A group is
    represented by one of its countries, since `compute_fee` finds the group from a country.
    """
    deadlines = sorted(
        rule.early_bird_until
        for rule in rules
        if rule.early_bird_until is not None and rule.early_bird_amount_minor is not None
    )
    moments: list[tuple[datetime.datetime | None, bool]]
    if deadlines:
        moments = [(deadlines[0], True), (deadlines[-1] + datetime.timedelta(seconds=1), False)]
    else:
        moments = [(None, False)]
    columns = [
        MatrixColumn(is_member=is_member, at=at, is_early=is_early)
        for is_member in (False, True)
        for at, is_early in moments
    ]
    lines: list[tuple[str, int | None, str | None]] = [
        (localized(group.name, group.name_translations), group.pk, _first(group))
        for group in groups
    ]
    lines.append((_("Every other country"), None, ""))
    rows = []
    for label, group_id, country in lines:
        fees: list[Fee | None] = []
        for column in columns:
            if country is None:
                fees.append(None)
                continue
            fees.append(
                compute_fee(
                    category=category,
                    currency=currency,
                    rules=rules,
                    groups=groups,
                    country=country,
                    is_member=column.is_member,
                    at=column.at or now,
                )
            )
        rows.append(MatrixRow(label=label, group_id=group_id, fees=fees))
    return FeeMatrix(
        columns=columns,
        rows=rows,
        early_bird_until=deadlines[0] if deadlines else None,
        early_bird_last=deadlines[-1] if deadlines else None,
    )


def _first(group: CountryGroup) -> str | None:
    countries = sorted(group.countries or [])
    return countries[0] if countries else None


def with_rule(rules: list[FeeRule], rule: FeeRule) -> list[FeeRule]:
    """`rules` with `rule` (being edited, maybe unsaved) in place of the one it replaces:
    the same rule, or the rule of the same scope (country group, member rate)."""
    scope = (rule.country_group_id, rule.is_member_rate)
    kept = [
        other
        for other in rules
        if (rule.pk is None or other.pk != rule.pk)
        and (other.country_group_id, other.is_member_rate) != scope
    ]
    return [*kept, rule]
