"""Read side of travel support: committee lists, budgets, what is owed, rooming lists,
transfer manifests and the donor report. Each runs a fixed number of queries."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from attendance.queries import attendance_report
from common.regions import region_name, region_of
from congress.models import Congress
from registrations.models import Registration
from travel.models import (
    Award,
    BudgetLine,
    CostType,
    Donor,
    Gender,
    GrantApplication,
    Hotel,
    Itinerary,
    ManifestExport,
    Reimbursement,
    RoomAllocation,
)


def applications_for_committee(*, congress: Congress, status: str = "") -> QuerySet:
    """Applications with their person, items, awards, average score and review count
    (4 queries whatever their number)."""
    applications = (
        GrantApplication.objects.filter(congress=congress)
        .select_related("registration__person", "registration__category")
        .annotate(average_score=Avg("reviews__score"), review_count=Count("reviews", distinct=True))
        .prefetch_related("items", Prefetch("awards", Award.objects.select_related("budget_line")))
        .order_by("-average_score", "created_at", "pk")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def _sum_of(queryset: QuerySet, field_name: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.values("budget_line").annotate(total=Sum(field_name)).values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def budget_lines_with_spending(*, congress: Congress) -> QuerySet:
    """Each line with `awarded_minor`, `paid_minor` and `remaining_minor` (1 query)."""
    awards = Award.objects.filter(budget_line=OuterRef("pk"))
    paid = Reimbursement.objects.filter(
        award__budget_line=OuterRef("pk"), status=Reimbursement.Status.PAID
    ).values("award__budget_line")
    return (
        BudgetLine.objects.filter(donor__congress=congress)
        .select_related("donor")
        .annotate(
            awarded_minor=_sum_of(awards, "amount_minor"),
            paid_minor=Coalesce(
                Subquery(
                    paid.annotate(total=Sum("approved_minor")).values("total")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .annotate(remaining_minor=F("total_minor") - F("awarded_minor"))
        .order_by("donor__name", "name")
    )


@dataclass
class Owed:
    """Money per currency: awarded, approved on claims, paid, and approved but not paid."""

    awarded: Counter = field(default_factory=Counter)
    approved: Counter = field(default_factory=Counter)
    paid: Counter = field(default_factory=Counter)

    @property
    def owed(self) -> dict[str, int]:
        return {
            currency: self.approved[currency] - self.paid[currency]
            for currency in self.approved
            if self.approved[currency] - self.paid[currency]
        }


def money_by_application_and_donor(
    *, congress: Congress
) -> tuple[dict[int, Owed], dict[int, Owed]]:
    """(application id -> Owed, donor id -> Owed) in 2 queries."""
    by_application: dict[int, Owed] = defaultdict(Owed)
    by_donor: dict[int, Owed] = defaultdict(Owed)
    for application_id, donor_id, currency, amount in Award.objects.filter(
        application__congress=congress
    ).values_list(
        "application_id", "budget_line__donor_id", "budget_line__currency", "amount_minor"
    ):
        by_application[application_id].awarded[currency] += amount
        by_donor[donor_id].awarded[currency] += amount
    for application_id, donor_id, currency, status, approved in Reimbursement.objects.filter(
        award__application__congress=congress,
        status__in=[Reimbursement.Status.APPROVED, Reimbursement.Status.PAID],
    ).values_list(
        "award__application_id",
        "award__budget_line__donor_id",
        "award__budget_line__currency",
        "status",
        "approved_minor",
    ):
        for owed in (by_application[application_id], by_donor[donor_id]):
            owed.approved[currency] += approved
            if status == Reimbursement.Status.PAID:
                owed.paid[currency] += approved
    return by_application, by_donor


# Rooming lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomingRow:
    room: str
    room_type: str
    occupants: list[str]
    first_night: datetime.date
    last_night: datetime.date
    nights: int
    price_minor: int


def rooming_list(*, hotel: Hotel) -> list[RoomingRow]:
    """One row per allocated room, numbered per room type (2 queries)."""
    rows = []
    numbers: Counter = Counter()
    allocations = (
        RoomAllocation.objects.filter(room_type__hotel=hotel)
        .select_related("room_type")
        .prefetch_related("occupants__registration__person")
        .order_by("room_type__name", "first_night", "pk")
    )
    for allocation in allocations:
        room_type = allocation.room_type
        numbers[room_type.pk] += 1
        nights = (allocation.last_night - allocation.first_night).days + 1
        rows.append(
            RoomingRow(
                room=f"{room_type.name} {numbers[room_type.pk]}",
                room_type=room_type.name,
                occupants=[
                    occupant.registration.badge_display_name or occupant.registration.person.name
                    for occupant in allocation.occupants.all()
                ],
                first_night=allocation.first_night,
                last_night=allocation.last_night,
                nights=nights,
                price_minor=nights * room_type.price_per_night_minor,
            )
        )
    return rows


# Transfers -----------------------------------------------------------------------------------

WINDOW_HOURS = 2


@dataclass(frozen=True)
class ManifestRow:
    direction: str  # "arrival" or "departure"
    airport: str
    window: str  # "08:00-10:00" in the congress's time zone
    time: datetime.datetime
    flight: str
    name: str
    phone: str
    changed: bool  # changed after the day's last export


def manifest(*, congress: Congress, day: datetime.date) -> list[ManifestRow]:
    """Arrivals and departures on `day` (congress time zone) for people who need a
    transfer, sorted by direction, airport and time window (2 queries)."""
    zone = congress.tzinfo
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    exported = (
        ManifestExport.objects.filter(congress=congress, day=day)
        .values_list("exported_at", flat=True)
        .first()
    )
    rows = []
    itineraries = Itinerary.objects.filter(
        registration__congress=congress, needs_transfer=True
    ).exclude(
        registration__status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED]
    )
    for itinerary in itineraries.select_related("registration__person"):
        for direction in ("arrival", "departure"):
            moment = getattr(itinerary, f"{direction}_at")
            if moment is None or not start <= moment < end:
                continue
            local = moment.astimezone(zone)
            first_hour = local.hour - local.hour % WINDOW_HOURS
            window = f"{first_hour:02d}:00-{(first_hour + WINDOW_HOURS) % 24:02d}:00"
            person = itinerary.registration.person
            rows.append(
                ManifestRow(
                    direction=direction,
                    airport=getattr(itinerary, f"{direction}_airport"),
                    window=window,
                    time=local,
                    flight=getattr(itinerary, f"{direction}_flight"),
                    name=itinerary.registration.badge_display_name or person.name,
                    phone=itinerary.phone,
                    changed=exported is not None and itinerary.updated_at > exported,
                )
            )
    return sorted(
        rows, key=lambda row: (row.direction, row.airport, row.window, row.time, row.name)
    )


# Donor report --------------------------------------------------------------------------------


@dataclass
class DonorPerson:
    registration_id: int
    name: str  # "" when hidden (protected participant, reader without the data-protection role)
    country: str
    region: str
    gender: str
    first_time: bool
    currency: str
    awarded: dict[str, int]  # cost type -> amount
    paid: int
    days_present: int
    attended_minutes: int

    @property
    def awarded_total(self) -> int:
        return sum(self.awarded.values())


@dataclass
class DonorSection:
    donor: Donor
    people: list[DonorPerson] = field(default_factory=list)
    hidden: int = 0
    awarded: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    paid: Counter = field(default_factory=Counter)
    regions: Counter = field(default_factory=Counter)
    genders: Counter = field(default_factory=Counter)
    first_time: int = 0

    @property
    def funded(self) -> int:
        return len(self.people) + self.hidden

    @property
    def paid_totals(self) -> dict[str, int]:
        return dict(self.paid)

    @property
    def region_rows(self) -> list[tuple[str, int]]:
        return sorted(self.regions.items())

    @property
    def gender_rows(self) -> list[tuple[str, int]]:
        return sorted(self.genders.items())

    @property
    def awarded_totals(self) -> dict[str, int]:
        return {currency: sum(amounts.values()) for currency, amounts in self.awarded.items()}


def donor_report(*, congress: Congress, show_protected: bool) -> list[DonorSection]:
    """Per donor: who was funded, amounts by cost type (awarded) and paid, each person's
    attendance (days present and hours from the scans), and counts by region, gender (only
    where the person gave it) and first participation. Protected participants are counted
    but not named unless `show_protected` (data-protection role)."""
    awards = list(
        Award.objects.filter(application__congress=congress)
        .select_related("budget_line__donor", "application__registration__person")
        .order_by("budget_line__donor__name", "pk")
    )
    paid: Counter = Counter()
    for award_id, amount in Reimbursement.objects.filter(
        award__application__congress=congress, status=Reimbursement.Status.PAID
    ).values_list("award_id", "approved_minor"):
        paid[award_id] += amount
    person_ids = {award.application.registration.person_id for award in awards}
    returning = set(
        Registration.objects.filter(
            person_id__in=person_ids,
            status=Registration.Status.CONFIRMED,
            congress__starts_on__lt=congress.starts_on,
        ).values_list("person_id", flat=True)
    )
    figures = attendance_report(congress=congress).figures if awards else {}
    sections: dict[int, DonorSection] = {}
    people: dict[tuple[int, int, str], DonorPerson] = {}
    counted: set[tuple[int, int]] = set()
    for award in awards:
        donor = award.budget_line.donor
        section = sections.setdefault(donor.pk, DonorSection(donor=donor))
        registration = award.application.registration
        currency = award.budget_line.currency
        section.awarded[currency][award.cost_type] += award.amount_minor
        section.paid[currency] += paid[award.pk]
        hidden = registration.is_protected and not show_protected
        key = (donor.pk, registration.pk, currency)
        if key not in people:
            people[key] = _donor_person(award, registration, currency, returning, figures)
            if hidden:
                people[key].name = ""
            else:
                section.people.append(people[key])
        if (donor.pk, registration.pk) not in counted:
            counted.add((donor.pk, registration.pk))
            _count(section, people[key], hidden=hidden)
        person = people[key]
        person.awarded[award.cost_type] = (
            person.awarded.get(award.cost_type, 0) + award.amount_minor
        )
        person.paid += paid[award.pk]
    for section in sections.values():
        section.people.sort(key=lambda person: (person.name.casefold(), person.registration_id))
    return list(sections.values())


def _donor_person(award, registration, currency, returning, figures) -> DonorPerson:
    person = registration.person
    code = str(person.country or "")
    region = region_of(code)
    country = str(person.country.name) if code else ""
    figure = figures.get(registration.pk)
    gender = award.application.gender
    return DonorPerson(
        registration_id=registration.pk,
        name=registration.badge_display_name or person.name,
        country=country,
        region=region_name(region) if region else "",
        gender=str(Gender(gender).label) if gender else "",
        first_time=person.pk not in returning,
        currency=currency,
        awarded={},
        paid=0,
        days_present=figure.days_present if figure else 0,
        attended_minutes=figure.attended_minutes if figure else 0,
    )


def _count(section: DonorSection, person: DonorPerson, *, hidden: bool) -> None:
    section.regions[person.region or "—"] += 1
    if person.gender:
        section.genders[person.gender] += 1
    if person.first_time:
        section.first_time += 1
    if hidden:
        section.hidden += 1


COST_TYPES = [choice for choice, _label in CostType.choices]
