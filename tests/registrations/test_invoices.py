import datetime
import io
import unicodedata

import pytest
from pypdf import PdfReader

from registrations import services
from registrations.exceptions import InvoiceUnavailable
from registrations.models import Invoice, InvoiceSettings, Registration, RegistrationGroup
from registrations.services.documents import invoice_pdf
from registrations.services.invoices import (
    issue_invoice,
    reconcile_invoices,
    set_billing_details,
)
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)
from tests.registrations.conftest import signed_event

pytestmark = pytest.mark.django_db
S = Registration.Status
NOW = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def vat_settings(congress):
    return InvoiceSettings.objects.create(
        congress=congress,
        issuer_name="Ensemble contre la peine de mort",
        issuer_address="62 bis avenue Parmentier\n75011 Paris",
        issuer_vat_number="FR12345678901",
        number_prefix="WC27-",
        vat_rate_basis_points=2000,
    )


@pytest.fixture
def pending(congress):
    category = RegistrationCategoryFactory(congress=congress, name="Participant")
    FeeRuleFactory(category=category, amount_minor=25000)

    def make(email="amina@example.org", name="Amina Benali", language="en"):
        registration = services.register_participant(
            congress=congress,
            category=category,
            details=services.RegistrantDetails(email=email, name=name),
            send_email=False,
        ).registration
        Registration.objects.filter(pk=registration.pk).update(language=language)
        registration.refresh_from_db()
        return registration

    return make


def text_of(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", text)


def test_issue_invoice_for_paid_registration_shows_vat_and_payment_date(
    vat_settings, pending, organiser
):
    registration = pending()
    services.mark_transfer_received(registration=registration, actor=organiser, now=NOW)
    set_billing_details(
        registration=registration,
        name="Ligue des droits humains",
        address="12 rue de la Paix\n1000 Tunis",
        country="TN",
        vat_number="TN-998",
    )

    invoice = issue_invoice(registration=registration, now=NOW)

    assert (invoice.number, invoice.display_number, invoice.kind) == (1, "WC27-00001", "invoice")
    assert (invoice.total_minor, invoice.vat_minor, invoice.vat_rate_basis_points) == (
        25000,
        4167,
        2000,
    )
    assert (invoice.billing_name, invoice.billing_country, invoice.paid_on) == (
        "Ligue des droits humains",
        "TN",
        datetime.date(2027, 1, 10),
    )
    assert invoice.lines == [
        {"description": "Registration fee: Amina Benali (Participant)", "amount_minor": 25000}
    ]


def test_issue_invoice_twice_gives_the_same_invoice(vat_settings, pending):
    registration = pending()
    first = issue_invoice(registration=registration)

    second = issue_invoice(registration=registration)

    assert (second.pk, Invoice.objects.count()) == (first.pk, 1)


def test_issue_invoice_without_vat_prints_the_exemption(congress, pending):
    InvoiceSettings.objects.create(
        congress=congress, vat_exemption_text="TVA non applicable, art. 293 B du CGI"
    )
    registration = pending()

    invoice = issue_invoice(registration=registration)

    assert (invoice.vat_minor, invoice.vat_exemption_text, invoice.display_number) == (
        0,
        "TVA non applicable, art. 293 B du CGI",
        "00001",
    )
    assert "TVA non applicable, art. 293 B du CGI" in text_of(invoice_pdf(invoice=invoice))


def test_issue_invoice_for_a_free_registration_is_refused(congress):
    free = RegistrationFactory(congress=congress, amount_due_minor=0)

    with pytest.raises(InvoiceUnavailable):
        issue_invoice(registration=free)

    assert Invoice.objects.count() == 0


def test_invoice_numbers_are_per_congress(vat_settings, pending, other_congress):
    issue_invoice(registration=pending("a@example.org"))
    issue_invoice(registration=pending("b@example.org"))
    stranger = RegistrationFactory(congress=other_congress, amount_due_minor=1000)

    other = issue_invoice(registration=stranger)

    assert list(Invoice.objects.order_by("pk").values_list("congress", "number")) == [
        (vat_settings.congress_id, 1),
        (vat_settings.congress_id, 2),
        (other_congress.pk, 1),
    ]
    assert other.display_number == "00001"


def test_billing_details_changed_later_leave_the_issued_invoice_as_it_was(vat_settings, pending):
    registration = pending()
    set_billing_details(registration=registration, name="Old name", address="Old street")
    invoice = issue_invoice(registration=registration)

    set_billing_details(registration=registration, name="New name", address="New street")

    invoice.refresh_from_db()
    assert (invoice.billing_name, invoice.billing_address) == ("Old name", "Old street")


def test_cancelling_an_invoiced_unpaid_registration_issues_a_credit_note(vat_settings, pending):
    registration = pending()
    invoice = issue_invoice(registration=registration)

    services.cancel_registration(registration=registration)

    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert (note.number, note.total_minor, note.credited_invoice, note.reason) == (
        2,
        25000,
        invoice,
        "cancelled",
    )
    assert note.lines == [
        {"description": "Cancellation of invoice WC27-00001", "amount_minor": 25000}
    ]


def test_reconcile_invoices_twice_issues_one_credit_note(vat_settings, pending):
    registration = pending()
    issue_invoice(registration=registration)
    services.cancel_registration(registration=registration)

    again = reconcile_invoices(registration=registration)

    assert again is None
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 1


def test_card_refund_on_an_invoiced_registration_issues_a_credit_note(
    client, congress, vat_settings, stripe_stub
):
    category = RegistrationCategoryFactory(congress=congress, name="Participant")
    FeeRuleFactory(category=category, amount_minor=25000)
    registration = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="card@example.org", name="Card Payer"),
        payment_method="card",
        send_email=False,
    ).registration
    payment = services.start_checkout(
        registration=registration, success_url="http://x/ok", cancel_url="http://x/no"
    )
    charge = stripe_stub.complete(payment.stripe_checkout_session_id)
    services.settle_checkout_session(session_id=payment.stripe_checkout_session_id)
    issue_invoice(registration=registration)
    stripe_stub.refund(charge["id"], 4000)

    payload, header = signed_event("charge.refunded", {"id": charge["id"]}, event_id="evt_r")

    client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert list(
        Invoice.objects.order_by("number").values_list("kind", "total_minor", "reason")
    ) == [("invoice", 25000, ""), ("credit_note", 4000, "refund")]


def test_group_invoice_lists_each_delegate_and_uses_the_delegations_billing(congress, vat_settings):
    category = RegistrationCategoryFactory(congress=congress, name="Delegate")
    group = RegistrationGroup.objects.create(
        congress=congress,
        organisation=OrganisationFactory(name="Ligue tunisienne", country="TN"),
        contact=PersonFactory(),
        payment_reference="GRP-4HT7WX2B",
    )
    for name in ("Amina Benali", "Karim Haddad"):
        RegistrationFactory(
            congress=congress,
            category=category,
            group=group,
            person=PersonFactory(name=name),
            status=S.PENDING_PAYMENT,
            amount_due_minor=9375,
        )

    invoice = issue_invoice(group=group)

    assert (invoice.group, invoice.billing_name, invoice.billing_country) == (
        group,
        "Ligue tunisienne",
        "TN",
    )
    assert invoice.lines == [
        {"description": "Registration fee: Amina Benali (Delegate)", "amount_minor": 9375},
        {"description": "Registration fee: Karim Haddad (Delegate)", "amount_minor": 9375},
    ]
    assert "GRP-4HT7WX2B" in text_of(invoice_pdf(invoice=invoice))


@pytest.mark.parametrize(
    ("language", "title", "total"),
    [
        ("en", "Invoice WC27-00001", "Total (VAT included): €250.00"),
        ("fr", "Facture WC27-00001", "Total TTC : 250,00 €"),
    ],
)
def test_invoice_pdf_in_the_registrants_language(vat_settings, pending, language, title, total):
    registration = pending(language=language)
    invoice = issue_invoice(registration=registration)

    text = text_of(invoice_pdf(invoice=invoice))

    assert (title in text, total in text.replace("\u202f", " ").replace("\xa0", " ")) == (
        True,
        True,
    )


def test_invoice_pdf_in_arabic_draws_the_billing_name_shaped(vat_settings, pending):
    registration = pending(language="ar")
    set_billing_details(registration=registration, name="أمينة بن سالم", address="تونس")
    invoice = issue_invoice(registration=registration)

    text = text_of(invoice_pdf(invoice=invoice))

    assert ("أمينة بن سالم" in text, "WC27-00001" in text) == (True, True)
    assert len(PdfReader(io.BytesIO(invoice_pdf(invoice=invoice))).pages) == 1
