import pytest

from congress.models import AuditEvent
from registrations import services
from registrations.exceptions import InvalidStatement
from registrations.models import BankTransferLine, Registration
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db
S = Registration.Status
Outcome = BankTransferLine.Outcome


@pytest.fixture
def pending(congress):
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=15000)

    def make(email):
        return services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(email=email, name=email),
            send_email=False,
        ).registration

    return make


def statement(*lines: str) -> bytes:
    return ("date,amount,currency,reference\n" + "\n".join(lines) + "\n").encode()


def test_import_bank_statement_matches_by_reference(congress, organiser, pending):
    exact, partial, over = pending("a@example.org"), pending("b@example.org"), pending("c@x.org")
    content = statement(
        f"2027-01-05,150.00,EUR,Congress fee {exact.payment_reference.lower()}",
        f"05/01/2027,100,EUR,{partial.payment_reference.replace('-', ' ')}",
        f'2027-01-05,"200,00",EUR,fee {over.payment_reference}',
        "2027-01-06,150.00,EUR,no reference here",
    )

    result = services.import_bank_statement(
        congress=congress, content=content, file_name="jan.csv", actor=organiser
    )

    statuses = [Registration.objects.get(pk=item.pk).status for item in (exact, partial, over)]
    assert result.counts == {
        Outcome.MATCHED: 1,
        Outcome.PARTIAL: 1,
        Outcome.OVERPAID: 1,
        Outcome.UNMATCHED: 1,
    }
    assert statuses == [S.CONFIRMED, S.PENDING_PAYMENT, S.CONFIRMED]
    assert AuditEvent.objects.get(action="bank_statement.imported").actor == organiser


def test_import_same_statement_twice_matches_nothing_twice(congress, organiser, pending):
    registration = pending("a@example.org")
    content = statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}")
    services.import_bank_statement(
        congress=congress, content=content, file_name="a", actor=organiser
    )

    again = services.import_bank_statement(
        congress=congress, content=content, file_name="a", actor=organiser
    )

    registration.refresh_from_db()
    assert (again.counts, again.skipped_duplicates) == ({}, 1)
    assert registration.amount_paid_minor == 15000
    assert BankTransferLine.objects.count() == 1


def test_import_two_identical_lines_in_one_statement_are_both_kept(congress, organiser, pending):
    registration = pending("a@example.org")
    line = f"2027-01-05,75.00,EUR,{registration.payment_reference}"

    services.import_bank_statement(
        congress=congress, content=statement(line, line), file_name="a", actor=organiser
    )

    registration.refresh_from_db()
    assert (registration.status, registration.amount_paid_minor) == (S.CONFIRMED, 15000)


def test_import_reference_of_other_congress_is_unmatched(
    congress, other_congress, organiser, pending
):
    registration = pending("a@example.org")

    result = services.import_bank_statement(
        congress=other_congress,
        content=statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}"),
        file_name="a",
        actor=organiser,
    )

    registration.refresh_from_db()
    assert result.counts == {Outcome.UNMATCHED: 1}
    assert registration.status == S.PENDING_PAYMENT


@pytest.mark.parametrize(
    "content", [b"not,a,statement\n1,2,3\n", b"date,amount,currency,reference\nx,1,EUR,r\n"]
)
def test_import_invalid_statement_is_refused(congress, organiser, content):
    with pytest.raises(InvalidStatement):
        services.import_bank_statement(
            congress=congress, content=content, file_name="bad.csv", actor=organiser
        )

    assert BankTransferLine.objects.count() == 0


def test_resolve_unmatched_line_assigns_payment(congress, organiser, pending):
    registration = pending("a@example.org")
    services.import_bank_statement(
        congress=congress,
        content=statement("2027-01-05,150.00,EUR,from Amina"),
        file_name="a",
        actor=organiser,
    )
    line = BankTransferLine.objects.get()

    services.resolve_bank_line(line=line, actor=organiser, registration=registration)

    registration.refresh_from_db()
    line.refresh_from_db()
    assert (registration.status, line.is_reviewed) == (S.CONFIRMED, True)
