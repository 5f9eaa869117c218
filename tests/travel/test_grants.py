import datetime

import pytest
from django.core import mail

from registrations.models import Registration
from tests.factories.registrations import RegistrationFactory
from tests.factories.travel import (
    BudgetLineFactory,
    GrantApplicationFactory,
    GrantProgrammeFactory,
)
from travel import services
from travel.exceptions import (
    AlreadyApplied,
    ApplicationsClosed,
    BudgetExceeded,
    RestrictionNotMet,
)
from travel.models import CostType, GrantApplication, GrantQuestion

pytestmark = pytest.mark.django_db


def _apply(registration, **overrides):
    arguments = {
        "registration": registration,
        "motivation": "I document executions.",
        "currency": "XOF",
        "items": [services.RequestedItem(CostType.FLIGHT, 450000)],
    }
    return services.apply_for_grant(**{**arguments, **overrides})


def test_apply_for_grant_records_items_in_the_applicants_currency(congress):
    GrantProgrammeFactory(congress=congress)
    registration = RegistrationFactory(congress=congress)

    application = _apply(
        registration,
        items=[
            services.RequestedItem(CostType.FLIGHT, 450000),
            services.RequestedItem(CostType.ACCOMMODATION, 90000, nights=3),
        ],
    )

    items = list(application.items.values_list("cost_type", "amount_minor", "nights"))
    assert (application.currency, items) == (
        "XOF",
        [("flight", 450000, 0), ("accommodation", 90000, 3)],
    )


def test_apply_for_grant_after_the_deadline_is_refused(congress):
    GrantProgrammeFactory(
        congress=congress, deadline=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )

    with pytest.raises(ApplicationsClosed):
        _apply(RegistrationFactory(congress=congress))

    assert GrantApplication.objects.count() == 0


def test_apply_for_grant_twice_is_refused(congress):
    GrantProgrammeFactory(congress=congress)
    registration = RegistrationFactory(congress=congress)
    _apply(registration)

    with pytest.raises(AlreadyApplied):
        _apply(registration)

    assert GrantApplication.objects.count() == 1


def test_apply_for_grant_requires_the_required_questions(congress):
    GrantProgrammeFactory(congress=congress)
    GrantQuestion.objects.create(
        congress=congress, label="Your organisation's work", is_required=True
    )

    with pytest.raises(RestrictionNotMet) as error:
        _apply(RegistrationFactory(congress=congress), answers={})

    assert str(error.value) == "Please answer every required question: Your organisation's work"


def test_award_grant_sends_the_award_letter_in_the_applicants_language(
    organiser, django_capture_on_commit_callbacks
):
    application = GrantApplicationFactory(registration__language="fr")
    line = BudgetLineFactory(donor__congress=application.congress, currency="EUR")

    with django_capture_on_commit_callbacks(execute=True):
        services.award_grant(
            application=application,
            lines=[services.AwardLine(line, CostType.FLIGHT, 45000)],
            actor=organiser,
        )

    application.refresh_from_db()
    assert application.status == GrantApplication.Status.AWARDED
    assert [message.subject for message in mail.outbox] == [
        f"Votre bourse de voyage pour {application.congress.name}"
    ]
    awarded = [line for line in mail.outbox[0].body.splitlines() if line.startswith("- ")]
    assert awarded == ["- Vol: 450,00\u00a0€"]


def test_award_grant_never_overspends_a_line(organiser, congress):
    line = BudgetLineFactory(donor__congress=congress, total_minor=100000)
    first = GrantApplicationFactory(registration__congress=congress)
    second = GrantApplicationFactory(registration__congress=congress)
    services.award_grant(
        application=first, lines=[services.AwardLine(line, CostType.FLIGHT, 60000)], actor=organiser
    )

    with pytest.raises(BudgetExceeded):
        services.award_grant(
            application=second,
            lines=[services.AwardLine(line, CostType.FLIGHT, 60000)],
            actor=organiser,
        )

    second.refresh_from_db()
    assert (second.status, second.awards.count()) == (GrantApplication.Status.SUBMITTED, 0)


@pytest.mark.parametrize(
    ("restriction", "message"),
    [
        ({"regions": ["002"]}, "Africa fund does not fund people from this region."),
        ({"cost_types": ["flight"]}, "Africa fund does not pay for this cost type."),
    ],
)
def test_award_grant_respects_the_lines_restrictions(organiser, congress, restriction, message):
    line = BudgetLineFactory(donor__congress=congress, name="Africa fund", **restriction)
    application = GrantApplicationFactory(
        registration__congress=congress, registration__person__country="FR"
    )
    cost_type = CostType.PER_DIEM if "cost_types" in restriction else CostType.FLIGHT

    with pytest.raises(RestrictionNotMet) as error:
        services.award_grant(
            application=application,
            lines=[services.AwardLine(line, cost_type, 1000)],
            actor=organiser,
        )

    assert str(error.value) == message


def test_award_of_the_registration_fee_waives_it_and_confirms(organiser, congress):
    registration = RegistrationFactory(
        congress=congress,
        status=Registration.Status.PENDING_PAYMENT,
        amount_due_minor=30000,
        currency="EUR",
    )
    application = GrantApplicationFactory(registration=registration)
    line = BudgetLineFactory(donor__congress=congress)

    services.award_grant(
        application=application,
        lines=[services.AwardLine(line, CostType.REGISTRATION_FEE, 30000)],
        actor=organiser,
    )

    registration.refresh_from_db()
    assert (
        registration.status,
        registration.amount_outstanding_minor,
        registration.fee_reasons,
    ) == (
        Registration.Status.CONFIRMED,
        0,
        ["travel_grant"],
    )


def test_refuse_application_tells_the_applicant(organiser, django_capture_on_commit_callbacks):
    application = GrantApplicationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_application(application=application, actor=organiser, note="Budget spent.")

    application.refresh_from_db()
    assert application.status == GrantApplication.Status.REFUSED
    assert [message.subject for message in mail.outbox] == [
        f"Your travel grant application for {application.congress.name}"
    ]
