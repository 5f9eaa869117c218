import pytest

from registrations import services
from registrations.models import BillingDetails, Invoice, InvoiceSettings, Registration
from registrations.services.invoices import issue_invoice
from tests.backoffice_html import input_value, texts
from tests.factories.registrations import (
    FeeRuleFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def outcome(congress):
    category = RegistrationCategoryFactory(congress=congress, name="Participant")
    FeeRuleFactory(category=category, amount_minor=12000)
    InvoiceSettings.objects.create(congress=congress, vat_exemption_text="VAT exempt")
    return services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email="p@example.org", name="Amina Benali"),
        send_email=False,
    )


def test_self_service_page_links_to_invoices(client, outcome):
    response = client.get(f"/en/registration/{outcome.access_token}/", follow=True)

    labels = [str(link["label"]) for link in response.context["links"]]
    assert labels.count("Invoices and billing details") == 1


def test_self_service_invoices_saves_billing_and_issues_the_invoice(client, outcome):
    url = f"/en/registration/{outcome.access_token}/invoices/"
    client.get(url, follow=True)  # the private link trades its token for a cookie

    response = client.post(
        url,
        {"name": "Ligue des droits", "address": "12 rue de la Paix\nTunis", "country": "TN"},
        follow=True,
    )

    invoice = Invoice.objects.get()
    assert [str(item) for item in response.context["messages"]] == ["Invoice 00001 is ready."]
    assert list(response.context["invoices"]) == [invoice]
    assert (invoice.billing_name, invoice.billing_country, invoice.total_minor) == (
        "Ligue des droits",
        "TN",
        12000,
    )
    assert BillingDetails.objects.get().address == "12 rue de la Paix\nTunis"


def test_self_service_invoices_too_long_name_says_why(client, outcome):
    response = client.post(
        f"/en/registration/{outcome.access_token}/invoices/",
        {"name": "x" * 201, "address": "Tunis"},
    )

    assert response.context["form"].errors == {
        "name": ["Ensure this value has at most 200 characters (it has 201)."]
    }
    assert Invoice.objects.count() == 0


def test_self_service_invoice_pdf_downloads(client, outcome):
    invoice = issue_invoice(registration=outcome.registration)

    response = client.get(
        f"/en/registration/{outcome.access_token}/invoices/{invoice.pk}.pdf", follow=True
    )

    assert (response["Content-Type"], response.content[:5]) == ("application/pdf", b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="00001.pdf"'


def test_self_service_invoice_pdf_of_someone_else_is_404(client, congress, outcome):
    other = RegistrationFactory(congress=congress, amount_due_minor=5000)
    invoice = issue_invoice(registration=other)

    response = client.get(
        f"/en/registration/{outcome.access_token}/invoices/{invoice.pk}.pdf", follow=True
    )

    assert response.status_code == 404


def test_manage_issue_invoice_from_the_registration_page(client, congress, organiser, outcome):
    client.force_login(organiser)
    registration = outcome.registration

    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/{registration.pk}/invoices/issue/",
        follow=True,
    )

    assert [str(item) for item in response.context["messages"]] == ["Invoice 00001 is ready."]
    assert list(response.context["invoices"]) == [Invoice.objects.get()]


@pytest.mark.parametrize("count", [1, 5])
def test_manage_invoices_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for _index in range(count):
        issue_invoice(registration=RegistrationFactory(congress=congress, amount_due_minor=500))
    client.force_login(organiser)

    # session, user, congress, role check, invoices (one join), the audit row
    with django_assert_num_queries(6):
        response = client.get(f"/en/congresses/{congress.slug}/invoices/")

    assert len(response.context["invoices"]) == count


def test_manage_invoices_lists_only_this_congress(client, congress, other_congress, organiser):
    mine = issue_invoice(registration=RegistrationFactory(congress=congress, amount_due_minor=5))
    issue_invoice(registration=RegistrationFactory(congress=other_congress, amount_due_minor=5))
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/invoices/")

    assert response.context["invoices"] == [mine]


def test_manage_invoice_settings_takes_a_percent(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/fr/congresses/{congress.slug}/invoices/settings/",
        {
            "issuer_name": "ECPM",
            "issuer_address": "Paris",
            "issuer_vat_number": "",
            "number_prefix": "WC27-",
            "vat_rate": "5,5",
            "vat_exemption_text": "",
        },
    )

    settings = InvoiceSettings.objects.get(congress=congress)
    assert (settings.vat_rate_basis_points, settings.number_prefix) == (550, "WC27-")


def test_manage_invoice_settings_without_vat_needs_the_exemption(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/invoices/settings/",
        {"issuer_name": "ECPM", "vat_rate": "0", "vat_exemption_text": ""},
    )

    assert response.context["form"].errors == {
        "vat_exemption_text": ["Without VAT, say why: invoices must print the exemption."]
    }


def test_manage_invoice_pdf_of_other_congress_is_404(client, congress, other_congress, organiser):
    invoice = issue_invoice(
        registration=RegistrationFactory(congress=other_congress, amount_due_minor=5)
    )
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/invoices/{invoice.pk}.pdf")

    assert response.status_code == 404


def test_self_service_saves_billing_details_without_issuing_an_invoice(client, outcome):
    client.get(f"/en/registration/{outcome.access_token}/invoices/", follow=True)
    response = client.post(
        f"/en/registration/{outcome.access_token}/invoices/",
        {"name": "Ligue des droits", "address": "Tunis", "country": "TN", "action": "save"},
        follow=True,
    )

    assert [str(item) for item in response.context["messages"]] == [
        "The billing details were saved."
    ]
    assert (Invoice.objects.count(), BillingDetails.objects.get().name) == (0, "Ligue des droits")


@pytest.fixture
def delegation(congress):
    from tests.factories.members import OrganisationFactory

    category = RegistrationCategoryFactory(congress=congress, name="Delegate")
    FeeRuleFactory(category=category, amount_minor=10000)
    InvoiceSettings.objects.get_or_create(congress=congress, vat_exemption_text="VAT exempt")
    return services.register_group(
        congress=congress,
        category=category,
        organisation=OrganisationFactory(name="Ligue des droits", country="FR"),
        contact=services.RegistrantDetails(email="head@example.org", name="Awa Head"),
        delegates=[
            services.RegistrantDetails(email=f"d{number}@example.org", name=f"D{number}")
            for number in (1, 2)
        ],
        payment_method="transfer",
        send_email=False,
    )


def test_head_of_delegation_page_links_to_billing_and_invoices(client, delegation):
    from common.private_links import handle_for

    response = client.get(f"/en/delegation/{delegation.access_token}/", follow=True)

    handle = handle_for(delegation.access_token)
    assert texts(response, "//a[@data-testid='group-invoices-link']/@href") == [
        f"/en/delegation/~{handle}/invoices/"
    ]


def test_head_enters_billing_details_and_gets_one_invoice_for_the_delegation(client, delegation):
    url = f"/en/delegation/{delegation.access_token}/invoices/"
    initial = client.get(url, follow=True)

    response = client.post(
        url,
        {"name": "Ligue des droits", "address": "1 rue X\nParis", "country": "FR"},
        follow=True,
    )

    invoice = Invoice.objects.get()
    assert input_value(initial, "name") == "Ligue des droits"
    assert [str(item) for item in response.context["messages"]] == ["Invoice 00001 is ready."]
    assert (invoice.group, invoice.registration, invoice.billing_name, invoice.total_minor) == (
        delegation.group,
        None,
        "Ligue des droits",
        20000,
    )
    assert texts(response, "//ul[@data-testid='invoices']/li/a") == ["Invoice 00001"]


def test_head_saves_billing_details_without_an_invoice(client, delegation):
    client.get(f"/en/delegation/{delegation.access_token}/invoices/", follow=True)
    client.post(
        f"/en/delegation/{delegation.access_token}/invoices/",
        {"name": "Ligue", "address": "Paris", "action": "save"},
    )

    details = BillingDetails.objects.get()
    assert (details.group, details.name, Invoice.objects.count()) == (
        delegation.group,
        "Ligue",
        0,
    )


def test_head_downloads_the_delegation_invoice_pdf(client, delegation):
    invoice = issue_invoice(group=delegation.group)

    response = client.get(
        f"/en/delegation/{delegation.access_token}/invoices/{invoice.pk}.pdf", follow=True
    )

    assert (response["Content-Type"], response.content[:5]) == ("application/pdf", b"%PDF-")


def test_delegation_invoice_of_another_payer_is_404(client, outcome, delegation):
    invoice = issue_invoice(registration=outcome.registration)

    response = client.get(
        f"/en/delegation/{delegation.access_token}/invoices/{invoice.pk}.pdf", follow=True
    )

    assert response.status_code == 404


def test_unknown_delegation_token_is_404(client):
    response = client.get("/en/delegation/nonsense/invoices/", follow=True)

    assert response.status_code == 404


def test_organiser_sees_the_delegation_invoices_on_a_delegate_page(
    client, congress, organiser, delegation
):
    invoice = issue_invoice(group=delegation.group)
    delegate = delegation.outcomes[0].registration
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/registrations/{delegate.pk}/")

    assert texts(response, "//ul[@data-testid='delegation-invoices']/li") == [
        f"Invoice {invoice.display_number} — Ligue des droits — €200.00"
    ]
