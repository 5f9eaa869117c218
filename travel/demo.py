"""Demo travel support for the world congress: grants open, two donors, a few applications
(one awarded with a paid claim, one refused), a hotel with rooms and some flights."""

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model

from congress.demo import DEMO_ORGANISER_USERNAME, WORLD_SLUG
from congress.models import Congress
from registrations.models import Registration
from travel import services
from travel.models import (
    BudgetLine,
    CostType,
    Donor,
    GrantProgramme,
    Hotel,
    Reimbursement,
    RoomType,
)


def load_travel_demo(stdout: TextIO) -> None:
    world = Congress.objects.filter(slug=WORLD_SLUG).first()
    actor = get_user_model().objects.filter(username=DEMO_ORGANISER_USERNAME).first()
    if world is None or actor is None or Donor.objects.filter(congress=world).exists():
        return
    GrantProgramme.objects.update_or_create(
        congress=world,
        defaults={
            "is_open": True,
            "introduction": "Travel grants for delegates of member organisations.",
            "introduction_translations": {
                "en": "Travel grants for delegates of member organisations.",
                "fr": "Bourses de voyage pour les délégués des organisations membres.",
                "ar": "منح سفر لمندوبي المنظمات الأعضاء.",
            },
        },
    )
    eu = BudgetLine.objects.create(
        donor=Donor.objects.create(congress=world, name="European Union"),
        name="Flights and visas",
        currency="EUR",
        total_minor=2_000_000,
    )
    foundation = BudgetLine.objects.create(
        donor=Donor.objects.create(congress=world, name="Open Society Foundation"),
        name="Accommodation",
        currency="USD",
        total_minor=1_500_000,
        cost_types=[CostType.ACCOMMODATION, CostType.PER_DIEM],
    )
    registrations = list(
        Registration.objects.filter(congress=world, status=Registration.Status.CONFIRMED)
        .select_related("person")
        .order_by("pk")[:4]
    )
    applications = [
        services.apply_for_grant(
            registration=registration,
            motivation="I train lawyers defending people facing the death penalty.",
            currency="EUR",
            items=[
                services.RequestedItem(CostType.FLIGHT, 65000),
                services.RequestedItem(CostType.ACCOMMODATION, 36000, nights=3),
            ],
        )
        for registration in registrations
    ]
    if applications:
        services.award_grant(
            application=applications[0],
            lines=[
                services.AwardLine(eu, CostType.FLIGHT, 60000),
                services.AwardLine(foundation, CostType.ACCOMMODATION, 39000),
            ],
            actor=actor,
        )
        award = applications[0].awards.get(cost_type=CostType.FLIGHT)
        Reimbursement.objects.create(
            award=award,
            claimed_minor=58000,
            approved_minor=58000,
            status=Reimbursement.Status.PAID,
            paid_on=world.ends_on,
            paid_method=Reimbursement.Method.BANK_TRANSFER,
        )
    if len(applications) > 1:
        services.refuse_application(application=applications[1], actor=actor)
    hotel = Hotel.objects.create(congress=world, name="Hôtel de la Paix", address="Rue du Lac 1")
    for name, beds, price in (("Single", 1, 14000), ("Twin", 2, 18000)):
        RoomType.objects.create(
            hotel=hotel,
            name=name,
            beds=beds,
            rooms=20,
            price_per_night_minor=price,
            first_night=world.starts_on - datetime.timedelta(days=1),
            last_night=world.ends_on,
        )
    for registration in registrations:
        services.save_accommodation_request(
            registration=registration,
            first_night=world.starts_on - datetime.timedelta(days=1),
            last_night=world.ends_on - datetime.timedelta(days=1),
            sharing="anyone",
        )
        services.save_itinerary(
            registration=registration,
            needs_transfer=True,
            arrival_flight="LX 8021",
            arrival_airport="GVA",
            arrival_at=datetime.datetime.combine(
                world.starts_on - datetime.timedelta(days=1),
                datetime.time(14, 30),
                tzinfo=world.tzinfo,
            ),
        )
    services.auto_allocate_rooms(congress=world, actor=actor)
    stdout.write("Travel support: 2 donors, 4 applications, a hotel and flights.\n")
