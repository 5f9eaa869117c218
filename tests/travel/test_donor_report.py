import datetime
import io

import openpyxl
import pytest

from congress.models import CongressRole
from registrations.models import Registration
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.registrations import RegistrationFactory
from tests.factories.travel import AwardFactory, BudgetLineFactory, GrantApplicationFactory
from travel import services
from travel.models import CostType, GrantApplication, Reimbursement
from travel.queries import donor_report

pytestmark = pytest.mark.django_db


def _funded(congress, line, cost_type, amount, *, paid=0, **person):
    application = GrantApplicationFactory(
        registration__congress=congress,
        status=GrantApplication.Status.AWARDED,
        **{f"registration__person__{key}": value for key, value in person.items()},
    )
    award = AwardFactory(
        application=application, budget_line=line, cost_type=cost_type, amount_minor=amount
    )
    if paid:
        Reimbursement.objects.create(
            award=award,
            claimed_minor=paid,
            approved_minor=paid,
            status=Reimbursement.Status.PAID,
            paid_on=datetime.date(2027, 6, 20),
        )
    return application


def _several_donors(congress):
    eu = BudgetLineFactory(donor__congress=congress, donor__name="EU", currency="EUR")
    sida = BudgetLineFactory(donor__congress=congress, donor__name="Sida", currency="SEK")
    sida_usd = BudgetLineFactory(donor=sida.donor, currency="USD")
    amina = _funded(congress, eu, CostType.FLIGHT, 45000, paid=40000, name="Amina", country="SN")
    _funded(congress, eu, CostType.PER_DIEM, 12000, name="Binta", country="ML")
    AwardFactory(application=amina, budget_line=eu, cost_type=CostType.VISA_FEES, amount_minor=8000)
    _funded(congress, sida, CostType.FLIGHT, 520000, paid=500000, name="Carlos", country="CO")
    _funded(
        congress, sida_usd, CostType.ACCOMMODATION, 30000, paid=30000, name="Dalia", country="JO"
    )
    return eu, sida


def test_donor_report_totals_equal_the_awards_and_payments(congress):
    _several_donors(congress)

    sections = {
        section.donor.name: section
        for section in donor_report(congress=congress, show_protected=False)
    }

    assert {name: section.awarded_totals for name, section in sections.items()} == {
        "EU": {"EUR": 45000 + 12000 + 8000},
        "Sida": {"SEK": 520000, "USD": 30000},
    }
    assert {name: dict(section.paid) for name, section in sections.items()} == {
        "EU": {"EUR": 40000},
        "Sida": {"SEK": 500000, "USD": 30000},
    }
    assert dict(sections["EU"].awarded["EUR"]) == {
        "flight": 45000,
        "per_diem": 12000,
        "visa_fees": 8000,
    }
    assert [
        (person.name, person.awarded_total, person.paid) for person in sections["EU"].people
    ] == [
        ("Amina", 53000, 40000),
        ("Binta", 12000, 0),
    ]


def test_donor_report_counts_regions_genders_given_and_first_participation(congress):
    line = BudgetLineFactory(donor__congress=congress)
    earlier = CongressFactory(
        starts_on=datetime.date(2024, 6, 1), ends_on=datetime.date(2024, 6, 3)
    )
    returning = _funded(congress, line, CostType.FLIGHT, 1000, name="Amina", country="SN")
    RegistrationFactory(congress=earlier, person=returning.registration.person)
    newcomer = _funded(congress, line, CostType.FLIGHT, 1000, name="Carlos", country="CO")
    newcomer.gender = "man"
    newcomer.save()

    (section,) = donor_report(congress=congress, show_protected=False)

    assert (dict(section.regions), dict(section.genders), section.first_time) == (
        {"Africa": 1, "Americas": 1},
        {"Man": 1},
        1,
    )


def test_donor_report_counts_protected_people_without_naming_them(congress):
    line = BudgetLineFactory(donor__congress=congress)
    _funded(congress, line, CostType.FLIGHT, 1000, name="Amina")
    hidden = _funded(congress, line, CostType.FLIGHT, 2000, name="Secret defender")
    Registration.objects.filter(pk=hidden.registration_id).update(is_protected=True)

    (section,) = donor_report(congress=congress, show_protected=False)
    (full,) = donor_report(congress=congress, show_protected=True)

    assert ([person.name for person in section.people], section.hidden, section.awarded_totals) == (
        ["Amina"],
        1,
        {"EUR": 3000},
    )
    assert [person.name for person in full.people] == ["Amina", "Secret defender"]


def test_donor_report_page_names_protected_people_only_to_data_protection(
    client, organiser, congress
):
    line = BudgetLineFactory(donor__congress=congress)
    hidden = _funded(congress, line, CostType.FLIGHT, 2000, name="Secret defender")
    Registration.objects.filter(pk=hidden.registration_id).update(is_protected=True)
    client.force_login(organiser)
    url = f"/en/congresses/{congress.slug}/manage/travel/report.csv"

    before = b"".join(client.get(url).streaming_content).decode()
    CongressRoleFactory(congress=congress, user=organiser, role=CongressRole.Role.DATA_PROTECTION)
    after = b"".join(client.get(url).streaming_content).decode()

    assert ("Secret defender" in before, "Secret defender" in after) == (False, True)


def test_donor_report_xlsx_totals_sheet(client, organiser, congress):
    _several_donors(congress)
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/travel/report.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    totals = [row[:2] + row[-5:] for row in workbook["Totals"].values]
    assert totals[1:] == [
        ("EU", "EUR", 650, 400, 2, 0, 2),
        ("Sida", "SEK", 5200, 5000, 2, 0, 2),
        ("Sida", "USD", 300, 300, 2, 0, 2),
    ]


def test_award_then_report_includes_attendance_from_scans(congress, organiser):
    from tests.factories.badges import CheckInFactory

    line = BudgetLineFactory(donor__congress=congress)
    application = GrantApplicationFactory(registration__congress=congress)
    services.award_grant(
        application=application,
        lines=[services.AwardLine(line, CostType.FLIGHT, 1000)],
        actor=organiser,
    )
    CheckInFactory(credential__registration=application.registration, checkpoint__congress=congress)

    (section,) = donor_report(congress=congress, show_protected=False)

    assert [person.days_present for person in section.people] == [1]
