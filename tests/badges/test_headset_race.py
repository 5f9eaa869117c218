"""Desks lending at the same instant, against PostgreSQL: one open loan per headset and one
per badge (the partial unique constraints of HeadsetLoan decide; the losers are told
"headset_already_out")."""

import pytest

from badges.models import HeadsetLoan
from badges.services.headsets import lend_headset
from tests.factories.badges import CredentialFactory
from tests.factories.congress import CongressFactory
from tests.races import race, without_constraint

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DESKS = 6


def _badges(count: int):
    congress = CongressFactory()
    return congress, [CredentialFactory(registration__congress=congress) for _ in range(count)]


def _lend_one_headset_to_each(congress, credentials):
    """Desk i lends headset H-1 to badge i: the per-headset rule's race."""
    tokens = iter([credential.token for credential in credentials])
    return lambda _barrier: _lend(congress, next(tokens), "H-1")


def _lend_headsets_to_one_badge(congress, credential):
    """Desk i lends headset H-i to one badge: the per-badge rule's race."""
    numbers = iter(range(DESKS))
    return lambda _barrier: _lend(congress, credential.token, f"H-{next(numbers)}")


def _lend(congress, token: str, headset: str) -> str:
    lend_headset(congress=congress, token=token, headset=headset)
    return "lent"


def test_lend_headset_one_headset_at_several_desks_at_once_is_lent_once():
    congress, credentials = _badges(DESKS)

    results = race(DESKS, _lend_one_headset_to_each(congress, credentials))

    assert sorted(results) == ["headset_already_out"] * (DESKS - 1) + ["lent"]
    assert HeadsetLoan.objects.filter(returned_at__isnull=True).count() == 1


def test_lend_headset_one_badge_at_several_desks_at_once_gets_one_headset():
    congress, (credential,) = _badges(1)

    results = race(DESKS, _lend_headsets_to_one_badge(congress, credential))

    assert sorted(results) == ["headset_already_out"] * (DESKS - 1) + ["lent"]
    assert HeadsetLoan.objects.filter(returned_at__isnull=True).count() == 1


def test_control_without_the_headset_constraint_one_headset_is_lent_at_every_desk():
    congress, credentials = _badges(DESKS)

    with without_constraint(HeadsetLoan, "headsetloan_one_open_per_headset"):
        results = race(DESKS, _lend_one_headset_to_each(congress, credentials))
        open_loans = HeadsetLoan.objects.filter(headset="H-1", returned_at__isnull=True).count()

    assert (results, open_loans) == (["lent"] * DESKS, DESKS)


def test_control_without_the_badge_constraint_one_badge_gets_a_headset_at_every_desk():
    congress, (credential,) = _badges(1)

    with without_constraint(HeadsetLoan, "headsetloan_one_open_per_registration"):
        results = race(DESKS, _lend_headsets_to_one_badge(congress, credential))
        open_loans = HeadsetLoan.objects.filter(returned_at__isnull=True).count()

    assert (results, open_loans) == (["lent"] * DESKS, DESKS)
