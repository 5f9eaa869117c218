import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from congress.models import AuditEvent
from registrations import services
from registrations.models import Registration
from tests.factories.members import PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def category(congress):
    category = RegistrationCategoryFactory(congress=congress, name="Participant", capacity=10)
    FeeRuleFactory(category=category, amount_minor=12000)
    return category


def form_data(category, **extra):
    return {
        "category": category.pk,
        "name": "ليلى حداد",
        "latin_name": "Layla Haddad",
        "email": "layla@example.org",
        "country": "JO",
        "language": "ar",
        "list_visibility": "nowhere",
        "payment_method": "transfer",
        "consent": "on",
        **extra,
    }


def register(congress, category, email="p@example.org"):
    return services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(email=email, name="Person"),
        send_email=False,
    )


def test_register_page_posts_and_redirects_to_private_page(
    client, congress, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ar/congresses/{congress.slug}/register/", form_data(category))

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/registration/")
    assert registration.language == "ar"
    assert len(mail.outbox) == 1
    page = client.get(response["Location"])
    assert registration.payment_reference in page.content.decode()


def test_register_page_errors_in_arabic_keep_what_was_typed(client, congress, category):
    response = client.post(
        f"/ar/congresses/{congress.slug}/register/", form_data(category, email="not-an-email")
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    assert 'value="ليلى حداد"' in body
    assert "يرجى إدخال عنوان بريد إلكتروني صحيح." in body


def test_register_page_hides_card_without_stripe_key(client, congress, category, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = client.get(f"/en/congresses/{congress.slug}/register/")

    body = response.content.decode()
    assert 'value="transfer"' in body
    assert 'value="card"' not in body


def test_register_page_shows_card_with_stripe_key(client, congress, category):
    response = client.get(f"/en/congresses/{congress.slug}/register/")

    assert 'value="card"' in response.content.decode()


def test_register_page_card_redirects_to_stripe_checkout(client, congress, category, stripe_stub):
    response = client.post(
        f"/en/congresses/{congress.slug}/register/", form_data(category, payment_method="card")
    )

    session_id = next(iter(stripe_stub.sessions))
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    assert "/registration/" in stripe_stub.sessions[session_id]["success_url"]


def test_register_page_double_submit_keeps_one_registration(client, congress, category):
    client.post(f"/en/congresses/{congress.slug}/register/", form_data(category))

    response = client.post(f"/en/congresses/{congress.slug}/register/", form_data(category))

    assert Registration.objects.count() == 1
    assert "already registered" in response.content.decode()


def test_register_page_required_question_error(client, congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)

    response = client.post(f"/en/congresses/{congress.slug}/register/", form_data(category))

    assert Registration.objects.count() == 0
    assert response.context["form"].errors == {"q_diet": ["This field is required."]}


def test_fee_quote_returns_amount_and_reason(client, congress, category):
    response = client.get(
        f"/fr/congresses/{congress.slug}/register/fee/", {"category": category.pk}
    )

    assert response.json() == {"amount": "120,00\u00a0€", "reasons": ["Tarif normal"]}


def test_self_service_page_unknown_token_is_not_found(client):
    response = client.get("/en/registration/unknown-token/")

    assert response.status_code == 404
    assert b"payment_reference" not in response.content


def test_self_service_change_answers(client, congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs")
    outcome = register(congress, category)

    client.post(
        f"/en/registration/{outcome.access_token}/answers/",
        {"q_diet": "vegetarian", "list_visibility": "participants"},
    )

    outcome.registration.refresh_from_db()
    assert outcome.registration.answers == {"diet": "vegetarian"}
    assert outcome.registration.list_visibility == "participants"


def test_self_service_cancel(client, congress, category):
    outcome = register(congress, category)

    client.post(f"/en/registration/{outcome.access_token}/cancel/")

    outcome.registration.refresh_from_db()
    assert outcome.registration.status == S.CANCELLED


def test_self_service_receipt_is_pdf(client, congress, category):
    outcome = register(congress, category)

    response = client.get(f"/en/registration/{outcome.access_token}/receipt.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_self_service_visa_request_form_stores_request(client, congress, category):
    outcome = register(congress, category)

    client.post(
        f"/en/registration/{outcome.access_token}/visa/",
        {
            "full_name": "PERSON",
            "nationality": "NG",
            "passport_number": "A0000001",
            "date_of_birth": "1990-01-01",
            "expires_on": "2031-01-01",
        },
    )

    assert outcome.registration.visa_request.status == "requested"


def test_group_registration_page_registers_delegates(client, congress, category):
    from tests.factories.members import OrganisationFactory

    organisation = OrganisationFactory()
    data = {
        "category": category.pk,
        "organisation": organisation.pk,
        "contact_name": "Contact",
        "contact_email": "contact@example.org",
        "language": "en",
        "payment_method": "transfer",
        "delegates-TOTAL_FORMS": "2",
        "delegates-INITIAL_FORMS": "0",
        "delegates-MIN_NUM_FORMS": "1",
        "delegates-MAX_NUM_FORMS": "50",
        "delegates-0-name": "One",
        "delegates-0-email": "one@example.org",
        "delegates-1-name": "Two",
        "delegates-1-email": "two@example.org",
    }

    response = client.post(f"/en/congresses/{congress.slug}/register/group/", data)

    assert Registration.objects.filter(group__organisation=organisation).count() == 2
    assert "€240.00" in response.content.decode()


@pytest.mark.parametrize("count", [1, 5])
def test_manage_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    RegistrationFactory.create_batch(count, congress=congress)
    client.force_login(organiser)

    with django_assert_num_queries(8):  # 7 + the audit row (privacy)
        response = client.get(f"/en/congresses/{congress.slug}/registrations/")

    assert len(response.context["page"].object_list) == count


def test_manage_list_shows_protected_to_organiser_only(client, congress, organiser, checkin_staff):
    RegistrationFactory(
        congress=congress, is_protected=True, person=PersonFactory(name="Hidden One")
    )
    client.force_login(organiser)
    organiser_page = client.get(f"/en/congresses/{congress.slug}/registrations/")
    client.force_login(checkin_staff)

    staff_page = client.get(f"/en/congresses/{congress.slug}/registrations/")

    assert "Hidden One" in organiser_page.content.decode()
    assert staff_page.status_code == 404


def test_manage_export_csv_with_chosen_columns_and_audit(client, congress, organiser):
    RegistrationFactory(
        congress=congress, person=PersonFactory(name="=HYPERLINK(1)"), status=S.CONFIRMED
    )
    RegistrationFactory(congress=congress, status=S.WAITLISTED)
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/registrations/export/",
        {"columns": ["name", "status"], "file_format": "csv", "status": "confirmed"},
    )

    assert response.getvalue().decode("utf-8-sig").splitlines() == [
        "Name,Status",
        "'=HYPERLINK(1),confirmed",
    ]
    event = AuditEvent.objects.get(action="registrations.exported")
    assert (event.actor, event.detail["filters"], event.detail["rows"]) == (
        organiser,
        {"status": "confirmed"},
        1,
    )


def test_manage_export_xlsx(client, congress, organiser):
    RegistrationFactory(congress=congress, person=PersonFactory(name="Chidi"))
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/registrations/export/",
        {"columns": ["name", "country"], "file_format": "xlsx"},
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Name", "Country"],
        ["Chidi", "FR"],
    ]


def test_manage_export_xlsx_keeps_a_formula_name_as_text(client, congress, organiser):
    # Names come from the public registration form: never a live formula in the sheet.
    name = '=HYPERLINK("http://x","y")'
    RegistrationFactory(congress=congress, person=PersonFactory(name=name))
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/registrations/export/",
        {"columns": ["name", "amount_due"], "file_format": "xlsx"},
    )

    row = load_workbook(io.BytesIO(response.getvalue())).active[2]
    assert [(cell.value, cell.data_type) for cell in row] == [(name, "s"), (0, "n")]


def test_manage_action_mark_paid(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/registrations/{outcome.registration.pk}/mark-paid/"
    )

    outcome.registration.refresh_from_db()
    assert outcome.registration.status == S.CONFIRMED


def test_manage_bank_upload_and_review(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)
    content = (
        "date,amount,currency,reference\n"
        f"2027-01-05,120.00,EUR,{outcome.registration.payment_reference}\n"
        "2027-01-05,50.00,EUR,unknown\n"
    ).encode()
    upload = io.BytesIO(content)
    upload.name = "statement.csv"

    client.post(f"/en/congresses/{congress.slug}/bank-transfers/", {"statement": upload})
    page = client.get(f"/en/congresses/{congress.slug}/bank-transfers/")

    outcome.registration.refresh_from_db()
    assert outcome.registration.status == S.CONFIRMED
    assert [line.outcome for line in page.context["lines"]] == ["unmatched"]


def test_congress_page_links_to_registration_forms(client, congress):
    response = client.get(f"/en/congresses/{congress.slug}/")

    links = [(str(link["label"]), link["url"]) for link in response.context["links"]]
    assert links[:2] == [
        ("Register", f"/en/congresses/{congress.slug}/register/"),
        ("Register a group", f"/en/congresses/{congress.slug}/register/group/"),
    ]


def test_organiser_dashboard_links_to_registration_tools(client, congress, organiser):
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/")

    urls = [link["url"] for link in response.context["links"]]
    assert urls[:3] == [
        f"/en/congresses/{congress.slug}/registrations/",
        f"/en/congresses/{congress.slug}/bank-transfers/",
        f"/en/congresses/{congress.slug}/visa-letters/",
    ]


def test_self_service_waitlisted_with_offer_can_accept_the_seat(client, congress):
    category = RegistrationCategoryFactory(congress=congress, capacity=1)
    holder = register(congress, category, email="holder@example.org")
    waiting = register(congress, category, email="waiting@example.org")
    services.cancel_registration(registration=holder.registration)
    page = client.get(f"/ar/registration/{waiting.access_token}/")

    client.post(f"/ar/registration/{waiting.access_token}/accept-offer/")

    waiting.registration.refresh_from_db()
    assert "قبول المقعد" in page.content.decode()
    assert waiting.registration.status == S.CONFIRMED
