import datetime

import factory

from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationFactory
from travel.models import (
    Award,
    BudgetLine,
    CostType,
    Donor,
    GrantApplication,
    GrantProgramme,
    Hotel,
    RoomType,
)


class GrantProgrammeFactory(BaseFactory):
    class Meta:
        model = GrantProgramme

    congress = factory.SubFactory(CongressFactory)
    is_open = True


class GrantApplicationFactory(BaseFactory):
    class Meta:
        model = GrantApplication

    registration = factory.SubFactory(RegistrationFactory)
    congress = factory.SelfAttribute("registration.congress")
    currency = "EUR"
    motivation = "I train lawyers on the death penalty."


class DonorFactory(BaseFactory):
    class Meta:
        model = Donor

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Donor {n}")


class BudgetLineFactory(BaseFactory):
    class Meta:
        model = BudgetLine

    donor = factory.SubFactory(DonorFactory)
    name = factory.Sequence(lambda n: f"Line {n}")
    currency = "EUR"
    total_minor = 100000


class AwardFactory(BaseFactory):
    class Meta:
        model = Award

    application = factory.SubFactory(GrantApplicationFactory)
    budget_line = factory.SubFactory(
        BudgetLineFactory, donor__congress=factory.SelfAttribute("...application.congress")
    )
    cost_type = CostType.FLIGHT
    amount_minor = 50000


class HotelFactory(BaseFactory):
    class Meta:
        model = Hotel

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"Hotel {n}")


class RoomTypeFactory(BaseFactory):
    class Meta:
        model = RoomType

    hotel = factory.SubFactory(HotelFactory)
    name = "Double"
    beds = 2
    rooms = 5
    price_per_night_minor = 12000
    first_night = datetime.date(2027, 6, 14)
    last_night = datetime.date(2027, 6, 17)
