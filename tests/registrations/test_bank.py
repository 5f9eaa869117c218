from pathlib import Path

import pytest

from badges.models import Credential
from congress.models import AuditEvent
from registrations import services
from registrations.exceptions import InvalidStatement
from registrations.models import (
    BankImportMapping,
    BankStatementImport,
    BankTransferLine,
    Payment,
    Registration,
    RegistrationGroup,
)
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status
Outcome = BankTransferLine.Outcome
DATA = Path(__file__).parent / "data"
EMPTY_SUMMARY = {
    "matched": 0,
    "partial": 0,
    "overpaid": 0,
    "unmatched": 0,
    "wrong_currency": 0,
    "duplicate": 0,
    "refused": 0,
    "debit": 0,
}


@pytest.fixture
def pending(congress):
    category = RegistrationCategoryFactory(congress=congress)
    FeeRuleFactory(category=category, amount_minor=15000)

    def make(email, reference=""):
        registration = services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(email=email, name=email),
            send_email=False,
        ).registration
        if reference:
            Registration.objects.filter(pk=registration.pk).update(payment_reference=reference)
            registration.refresh_from_db()
        return registration

    return make


def statement(*lines: str) -> bytes:
    return ("date,amount,currency,reference\n" + "\n".join(lines) + "\n").encode()


def run(congress, organiser, content, **kwargs):
    return services.import_bank_statement(
        congress=congress, content=content, file_name="jan.csv", actor=organiser, **kwargs
    )


def test_import_bank_statement_matches_by_reference(congress, organiser, pending):
    exact, partial, over = pending("a@example.org"), pending("b@example.org"), pending("c@x.org")
    content = statement(
        f"2027-01-05,150.00,EUR,Congress fee {exact.payment_reference.lower()}",
        f"05/01/2027,100,EUR,{partial.payment_reference.replace('-', ' ')}",
        f"2027-01-05,200.00,EUR,fee {over.payment_reference}",
        "2027-01-06,150.00,EUR,no reference here",
    )

    result = run(congress, organiser, content)

    statuses = [Registration.objects.get(pk=item.pk).status for item in (exact, partial, over)]
    assert result.summary == EMPTY_SUMMARY | {
        "matched": 1,
        "partial": 1,
        "overpaid": 1,
        "unmatched": 1,
    }
    assert statuses == [S.CONFIRMED, S.PENDING_PAYMENT, S.CONFIRMED]
    assert AuditEvent.objects.get(action="bank_statement.imported").actor == organiser


def test_import_line_without_reference_never_pays_a_registration_without_reference(
    congress, organiser
):
    # Registrations added by hand (and demo speakers) have an empty payment reference: a
    # donation without any reference used to be booked on the first of them.
    by_hand = RegistrationFactory(
        congress=congress, status=S.PENDING_PAYMENT, amount_due_minor=5000, payment_reference=""
    )

    result = run(congress, organiser, statement("2027-01-05,50.00,EUR,donation no reference"))

    by_hand.refresh_from_db()
    line = BankTransferLine.objects.get()
    assert result.summary == EMPTY_SUMMARY | {"unmatched": 1}
    assert (line.outcome, line.registration, line.payment) == (Outcome.UNMATCHED, None, None)
    assert (by_hand.amount_paid_minor, Payment.objects.count()) == (0, 0)


def test_import_unknown_reference_is_unmatched(congress, organiser, pending):
    registration = pending("a@example.org")

    result = run(congress, organiser, statement("2027-01-05,150.00,EUR,REG-ZZZZZZZZ"))

    registration.refresh_from_db()
    assert result.summary == EMPTY_SUMMARY | {"unmatched": 1}
    assert registration.amount_paid_minor == 0


def test_import_same_statement_twice_matches_nothing_twice(congress, organiser, pending):
    registration = pending("a@example.org")
    content = statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}")
    run(congress, organiser, content)

    again = run(congress, organiser, content)

    registration.refresh_from_db()
    assert again.summary == EMPTY_SUMMARY | {"duplicate": 1}
    assert registration.amount_paid_minor == 15000
    assert BankTransferLine.objects.count() == 1


def test_import_two_identical_lines_in_one_statement_are_both_kept(congress, organiser, pending):
    registration = pending("a@example.org")
    line = f"2027-01-05,75.00,EUR,{registration.payment_reference}"

    result = run(congress, organiser, statement(line, line))

    registration.refresh_from_db()
    assert result.summary == EMPTY_SUMMARY | {"partial": 1, "matched": 1}
    assert (registration.status, registration.amount_paid_minor) == (S.CONFIRMED, 15000)


def test_import_reference_of_other_congress_is_unmatched(
    congress, other_congress, organiser, pending
):
    registration = pending("a@example.org")

    result = run(
        other_congress,
        organiser,
        statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}"),
    )

    registration.refresh_from_db()
    assert result.summary == EMPTY_SUMMARY | {"unmatched": 1}
    assert registration.status == S.PENDING_PAYMENT


def test_import_wrong_currency_is_kept_for_review(congress, organiser, pending):
    registration = pending("a@example.org")

    result = run(
        congress, organiser, statement(f"2027-01-05,150.00,USD,{registration.payment_reference}")
    )

    registration.refresh_from_db()
    assert result.summary == EMPTY_SUMMARY | {"wrong_currency": 1}
    assert registration.amount_paid_minor == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("NaN", "“NaN” is not an amount written with “.” for decimals."),
        ("Infinity", "“Infinity” is not an amount written with “.” for decimals."),
        ("1e400", "“1e400” is not an amount written with “.” for decimals."),
        ("21474836.48", "The amount is too large."),
        ("99999999999999999999", "The amount is too large."),
        ("150.001", "The amount has more decimals than EUR allows (2)."),
        ("1,234.56", "“1,234.56” is not an amount written with “.” for decimals."),
    ],
)
def test_import_unreadable_amount_is_refused_with_its_line_number(
    congress, organiser, pending, amount, message
):
    registration = pending("a@example.org")
    content = statement(
        f"2027-01-05,150.00,EUR,{registration.payment_reference}",
        f'2027-01-06,"{amount}",EUR,{registration.payment_reference}',
    )

    result = run(congress, organiser, content)

    assert result.summary == EMPTY_SUMMARY | {"matched": 1, "refused": 1}
    assert result.line_errors == [{"line": 3, "message": message}]
    assert BankTransferLine.objects.count() == 1


def test_import_refused_line_message_is_translated(congress, organiser, pending):
    from django.utils import translation

    with translation.override("fr"):
        result = run(congress, organiser, statement("2027-01-06,1e400,EUR,x"))

    assert result.line_errors == [
        {
            "line": 2,
            "message": "« 1e400 » n'est pas un montant écrit avec « . » pour les décimales.",
        }
    ]


@pytest.mark.parametrize(
    ("written", "amount_minor"),
    [("1.234,56", 123456), ("1.500", 150000), ("1500", 150000), ("12,5", 1250)],
)
def test_import_csv_with_mapping_reads_amounts_in_the_banks_locale(
    congress, organiser, written, amount_minor
):
    mapping = BankImportMapping.objects.create(
        congress=congress,
        name="Crédit Coopératif",
        delimiter=";",
        decimal_separator=",",
        thousands_separator=".",
        encoding="cp1252",
        date_format="%d.%m.%Y",
        date_column="Buchungstag",
        amount_column="Betrag",
        reference_column="Verwendungszweck",
        payer_column="Auftraggeber",
    )
    content = (
        f"Buchungstag;Betrag;Verwendungszweck;Auftraggeber\n05.01.2027;{written};Spende;Müller\n"
    )

    result = run(congress, organiser, content.encode("cp1252"), mapping=mapping)

    line = BankTransferLine.objects.get()
    assert result.summary == EMPTY_SUMMARY | {"unmatched": 1}
    assert (line.amount_minor, line.currency, line.payer_name) == (amount_minor, "EUR", "Müller")


def test_import_csv_missing_mapped_column_is_refused(congress, organiser):
    with pytest.raises(InvalidStatement) as error:
        run(congress, organiser, b"when,how much\n2027-01-05,1\n")

    assert error.value.message == "The file has no column “date”."
    assert BankStatementImport.objects.count() == 0


def test_import_csv_transaction_id_column_makes_lines_idempotent(congress, organiser, pending):
    registration = pending("a@example.org")
    mapping = BankImportMapping.objects.create(
        congress=congress,
        name="Bank",
        date_column="date",
        amount_column="amount",
        reference_column="reference",
        transaction_id_column="id",
    )
    first = f"id,date,amount,reference\nT1,2027-01-05,75.00,{registration.payment_reference}\n"
    # The bank corrected the purpose text of T1 in its next export; T2 is new.
    second = first.replace("75.00,", "75.00,fee ") + "T2,2027-01-06,75.00,REG-ZZZZZZZZ\n"
    run(congress, organiser, first.encode(), mapping=mapping)

    result = run(congress, organiser, second.encode(), mapping=mapping)

    registration.refresh_from_db()
    assert result.summary == EMPTY_SUMMARY | {"duplicate": 1, "unmatched": 1}
    assert registration.amount_paid_minor == 7500


def _with_references(pending, congress):
    amina = pending("amina@example.org", reference="REG-7KQ2M9XA")
    ligue = pending("ligue@example.org", reference="REG-3PZ8NM4C")
    return amina, ligue


def test_import_camt053_file(congress, organiser, pending):
    amina, ligue = _with_references(pending, congress)

    result = run(
        congress,
        organiser,
        (DATA / "statement.camt053.xml").read_bytes(),
        file_format="camt053",
    )

    amina.refresh_from_db()
    ligue.refresh_from_db()
    lines = list(
        BankTransferLine.objects.order_by("line_number").values_list(
            "line_number", "amount_minor", "outcome", "payer_name", "reference_text"
        )
    )
    assert result.summary == EMPTY_SUMMARY | {
        "matched": 1,
        "unmatched": 1,
        "partial": 1,
        "debit": 1,
    }
    assert lines == [
        (1, 15000, Outcome.MATCHED, "Amina Benali", "Congress fee REG-7KQ2M9XA"),
        (2, 5000, Outcome.UNMATCHED, "Anonymous donor", "donation no reference"),
        (4, 10000, Outcome.PARTIAL, "Ligue des droits", "REG 3PZ8NM4C first half"),
    ]
    assert (amina.status, ligue.amount_paid_minor) == (S.CONFIRMED, 10000)


def test_import_camt053_twice_is_all_duplicates(congress, organiser, pending):
    _with_references(pending, congress)
    content = (DATA / "statement.camt053.xml").read_bytes()
    run(congress, organiser, content, file_format="camt053")

    again = run(congress, organiser, content, file_format="camt053")

    assert again.summary == EMPTY_SUMMARY | {"duplicate": 3, "debit": 1}
    assert Payment.objects.count() == 2


def test_import_mt940_file(congress, organiser, pending):
    amina, _ligue = _with_references(pending, congress)
    group = RegistrationGroup.objects.create(
        congress=congress,
        organisation=OrganisationFactory(),
        contact=PersonFactory(),
        payment_reference="GRP-4HT7WX2B",
    )
    delegate = pending("delegate@example.org")
    Registration.objects.filter(pk=delegate.pk).update(group=group, amount_due_minor=18750)

    result = run(congress, organiser, (DATA / "statement.mt940").read_bytes(), file_format="mt940")

    amina.refresh_from_db()
    delegate.refresh_from_db()
    lines = list(
        BankTransferLine.objects.order_by("line_number").values_list(
            "line_number", "amount_minor", "outcome", "payer_name", "group"
        )
    )
    assert result.summary == EMPTY_SUMMARY | {"matched": 2, "unmatched": 1, "debit": 1}
    assert lines == [
        (1, 15000, Outcome.MATCHED, "AMINA BENALI", None),
        (2, 7550, Outcome.UNMATCHED, "JOHN DOE", None),
        (4, 18750, Outcome.MATCHED, "LIGUE DES DROITS", group.pk),
    ]
    assert (amina.status, delegate.status) == (S.CONFIRMED, S.CONFIRMED)


@pytest.mark.parametrize(
    ("file_format", "content", "message"),
    [
        ("camt053", b"<Document><BkToCstmrStmt><oops", "The file is not a CAMT.053 statement."),
        ("camt053", b"<Document><Other/></Document>", "The file is not a CAMT.053 statement."),
        ("mt940", b"date,amount\n", "The file is not an MT940 statement."),
        ("csv", b"\xff\xfe\x00bad", "The file is not in the encoding of this mapping (utf-8-sig)."),
    ],
)
def test_import_file_in_the_wrong_format_is_refused(
    congress, organiser, file_format, content, message
):
    with pytest.raises(InvalidStatement) as error:
        run(congress, organiser, content, file_format=file_format)

    assert error.value.message == message
    assert BankTransferLine.objects.count() == 0


def test_import_ten_thousand_line_csv(
    congress, organiser, pending, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    payers = [pending(f"p{index}@example.org") for index in range(20)]
    rows = [f"2027-01-05,150.00,EUR,fee {payer.payment_reference}" for payer in payers]
    rows += [f"2027-01-{5 + index % 20:02d},{index}.50,EUR,gift {index}" for index in range(9980)]

    # No query per line: ~6 per chunk of 500 lines, the rest is the 20 confirmations
    # (payment batch, badge issued and its e-mail rendered by the immediate task backend).
    with django_assert_max_num_queries(600), django_capture_on_commit_callbacks(execute=True):
        result = run(congress, organiser, statement(*rows))

    assert result.summary == EMPTY_SUMMARY | {"matched": 20, "unmatched": 9980}
    assert (result.total_lines, result.processed_lines) == (10000, 10000)
    assert BankTransferLine.objects.count() == 10000
    assert Registration.objects.filter(status=S.CONFIRMED).count() == 20
    # Each registration confirmed by the statement gets its badge, exactly once.
    assert Credential.objects.filter(revoked_at__isnull=True).count() == 20


def test_resolve_unmatched_line_assigns_payment(congress, organiser, pending):
    registration = pending("a@example.org")
    run(congress, organiser, statement("2027-01-05,150.00,EUR,from Amina"))
    line = BankTransferLine.objects.get()

    services.resolve_bank_line(line=line, actor=organiser, registration=registration)

    registration.refresh_from_db()
    line.refresh_from_db()
    assert (registration.status, line.is_reviewed) == (S.CONFIRMED, True)
    assert line.payment.amount_minor == 15000


def test_resolve_line_with_registration_of_other_congress_is_refused(
    congress, other_congress, organiser, pending
):
    run(congress, organiser, statement("2027-01-05,150.00,EUR,from Amina"))
    line = BankTransferLine.objects.get()
    stranger = RegistrationFactory(congress=other_congress, status=S.PENDING_PAYMENT)

    with pytest.raises(InvalidStatement):
        services.resolve_bank_line(line=line, actor=organiser, registration=stranger)

    line.refresh_from_db()
    assert (line.payment, line.is_reviewed) == (None, False)


def test_queue_bank_statement_runs_in_the_task(
    congress, organiser, pending, django_capture_on_commit_callbacks
):
    registration = pending("a@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        queued = services.queue_bank_statement(
            congress=congress,
            content=statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}"),
            file_name="jan.csv",
            actor=organiser,
        )

    queued.refresh_from_db()
    registration.refresh_from_db()
    assert (queued.state, queued.summary["matched"], bytes(queued.content)) == (
        BankStatementImport.State.DONE,
        1,
        b"",
    )
    assert registration.status == S.CONFIRMED


def test_import_stopped_by_an_error_is_marked_failed_not_running(congress, organiser, pending):
    registration = pending("a@example.org")
    statement = BankStatementImport.objects.create(
        congress=congress,
        file_name="jan.csv",
        content=statement_bytes(registration),
        layout={"no_such_setting": 1},  # a layout the reader cannot take
    )

    with pytest.raises(TypeError):
        services.run_bank_statement_import(statement_id=statement.pk)

    statement.refresh_from_db()
    assert (statement.state, statement.failure_message) == (
        BankStatementImport.State.FAILED,
        "The import stopped on an error. The lines imported so far are kept: import the file "
        "again to finish (lines already imported are skipped).",
    )


def statement_bytes(registration) -> bytes:
    return statement(f"2027-01-05,150.00,EUR,{registration.payment_reference}")
