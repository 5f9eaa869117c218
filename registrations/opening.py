"""The "open registration" switch of the organiser's dashboard.

Opening publishes the congress (a draft is visible to its staff only) and opens every
category whose opening date is still ahead; categories whose closing date has passed stay
closed (their dates are edited with the category). Closing ends every open category now; the
congress stays published so its programme stays online. The page shows each category's
dates in the congress's time zone.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congress.models import Congress
from congress.services import publish_congress, record_audit
from registrations.models import RegistrationCategory


@dataclass(frozen=True)
class CategoryState:
    category: RegistrationCategory
    is_open: bool
    has_not_opened: bool  # opening date still ahead


@dataclass(frozen=True)
class OpeningState:
    is_published: bool
    categories: list[CategoryState]

    @property
    def is_open(self) -> bool:
        return self.is_published and any(state.is_open for state in self.categories)


def opening_state(*, congress: Congress, now: datetime.datetime | None = None) -> OpeningState:
    """Whether registration is open and each category's state (one query)."""
    now = now or timezone.now()
    states = []
    for category in RegistrationCategory.objects.filter(congress=congress).order_by(
        "position", "name"
    ):
        not_yet = category.opens_at is not None and category.opens_at > now
        ended = category.closes_at is not None and category.closes_at <= now
        states.append(
            CategoryState(
                category=category, is_open=not not_yet and not ended, has_not_opened=not_yet
            )
        )
    return OpeningState(is_published=congress.is_published, categories=states)


def open_registration(
    *, congress: Congress, actor: AbstractBaseUser | None, now: datetime.datetime | None = None
) -> int:
    """Publish the congress and open now every category whose opening date is ahead.

    Returns how many categories were opened early. Locks the congress row. Audited
    ("registration.opened").
    """
    now = now or timezone.now()
    with transaction.atomic():
        congress = publish_congress(congress=congress, actor=actor)
        opened = RegistrationCategory.objects.filter(congress=congress, opens_at__gt=now).update(
            opens_at=now
        )
        record_audit(
            action="registration.opened",
            congress=congress,
            actor=actor,
            target=congress,
            detail={"categories_opened": opened},
        )
    return opened


def close_registration(
    *, congress: Congress, actor: AbstractBaseUser | None, now: datetime.datetime | None = None
) -> int:
    """Close every open category now; returns how many. Locks the congress row. Audited
    ("registration.closed")."""
    now = now or timezone.now()
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        closed = (
            RegistrationCategory.objects.filter(congress=congress)
            .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
            .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
            .update(closes_at=now)
        )
        record_audit(
            action="registration.closed",
            congress=congress,
            actor=actor,
            target=congress,
            detail={"categories_closed": closed},
        )
    return closed
