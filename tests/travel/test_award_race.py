"""A budget line is never overspent: two committee members award at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from tests.factories.members import UserFactory
from tests.factories.travel import BudgetLineFactory, GrantApplicationFactory
from travel import services
from travel.exceptions import BudgetExceeded
from travel.models import Award, CostType

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
COMMITTEE = 8


def _race(function, applications) -> list:
    barrier = threading.Barrier(len(applications))

    def run(application):
        try:
            barrier.wait()
            return function(application)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(applications)) as pool:
        return list(pool.map(run, applications))


def _setup():
    line = BudgetLineFactory(total_minor=100000)
    applications = GrantApplicationFactory.create_batch(
        COMMITTEE, registration__congress=line.donor.congress
    )
    return line, applications


def _spent(line) -> int:
    return Award.objects.filter(budget_line=line).aggregate(total=Sum("amount_minor"))["total"]


def test_awards_racing_on_one_line_never_overspend_it():
    line, applications = _setup()
    actor = UserFactory()

    def award(application):
        try:
            services.award_grant(
                application=application,
                lines=[services.AwardLine(line, CostType.FLIGHT, 30000)],
                actor=actor,
            )
            return "awarded"
        except BudgetExceeded:
            return "refused"

    results = _race(award, applications)

    assert (results.count("awarded"), results.count("refused"), _spent(line)) == (3, 5, 90000)


def _award_without_lock(line, application, barrier):
    """The same read-sum-write without select_for_update: the control experiment."""
    with transaction.atomic():
        spent = Award.objects.filter(budget_line=line).aggregate(total=Sum("amount_minor"))
        barrier.wait()  # everybody has summed before anybody writes
        if (spent["total"] or 0) + 30000 <= line.total_minor:
            Award.objects.create(
                application=application, budget_line=line, cost_type="flight", amount_minor=30000
            )


def test_awards_racing_without_the_lock_overspend_the_line():
    line, applications = _setup()
    barrier = threading.Barrier(COMMITTEE)

    _race(lambda application: _award_without_lock(line, application, barrier), applications)

    assert _spent(line) == COMMITTEE * 30000
