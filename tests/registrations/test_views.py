import datetime
import io
import re

import pytest
from django.core import mail
from openpyxl import load_workbook

from congress.models import AuditEvent
from registrations import services
from registrations.models import (
    BankImportMapping,
    BankStatementImport,
    BankTransferLine,
    Registration,
    RegistrationGroup,
)
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status
PAST = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


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
    assert response.context["form"].errors == {
        "q_diet": ["“Dietary needs”: this question needs an answer."]
    }


def test_register_page_required_question_of_other_category_does_not_block(
    client, congress, category
):
    press = RegistrationCategoryFactory(congress=congress, kind="press")
    QuestionFactory(congress=congress, code="outlet", is_required=True).categories.add(press)

    response = client.post(
        f"/en/congresses/{congress.slug}/register/", form_data(category, q_outlet="Le Monde")
    )

    assert response.status_code == 302
    assert Registration.objects.get().answers == {}


def test_register_page_answer_with_null_character_is_refused(client, congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs")

    response = client.post(
        f"/en/congresses/{congress.slug}/register/", form_data(category, q_diet="veg\x00an")
    )

    assert Registration.objects.count() == 0
    assert response.context["form"].errors == {
        "q_diet": ["“Dietary needs”: the answer contains a null character."]
    }


def test_register_page_stores_answers_of_every_kind(client, congress, category):
    QuestionFactory(congress=congress, code="diet", position=0)
    QuestionFactory(congress=congress, code="arrival", kind="date", position=1)
    QuestionFactory(
        congress=congress,
        code="interpretation",
        kind="choice",
        choices=[{"value": "ar", "label": "Arabic"}],
        position=2,
    )
    QuestionFactory(congress=congress, code="photos", kind="boolean", position=3)

    client.post(
        f"/en/congresses/{congress.slug}/register/",
        form_data(
            category,
            q_diet=" halal ",
            q_arrival="2027-06-14",
            q_interpretation="ar",
            q_photos="on",
        ),
    )

    assert Registration.objects.get().answers == {
        "diet": "halal",
        "arrival": "2027-06-14",
        "interpretation": "ar",
        "photos": True,
    }


def test_register_page_of_draft_congress_is_not_found_for_the_public(client, congress, category):
    congress.status = "draft"
    congress.save()

    response = client.get(f"/en/congresses/{congress.slug}/register/")

    assert response.status_code == 404


def test_register_page_of_draft_congress_opens_for_its_organiser(
    client, congress, category, organiser
):
    congress.status = "draft"
    congress.save()
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/register/")

    assert response.status_code == 200
    assert list(response.context["form"].fields["category"].queryset) == [category]


@pytest.mark.parametrize(
    ("language", "voucher_fields", "error"),
    [
        ("en", {"valid_until": PAST}, "This voucher code has expired."),
        ("fr", {"valid_until": PAST}, "Ce code de réduction a expiré."),
        ("en", {"valid_from": FUTURE}, "This voucher code is not valid yet."),
        (
            "en",
            {"usage_limit": 1, "times_used": 1},
            "This voucher code has already been used as many times as allowed.",
        ),
    ],
)
def test_fee_quote_waiver_voucher_registration_would_refuse_shows_reason_not_price(
    client, congress, category, language, voucher_fields, error
):
    VoucherFactory(congress=congress, code="SCHOLAR", kind="waiver", **voucher_fields)

    response = client.get(
        f"/{language}/congresses/{congress.slug}/register/fee/",
        {"category": category.pk, "voucher": "scholar"},
    )

    assert response.json() == {"amount": "", "reasons": [], "error": error}


def test_register_page_expired_voucher_error_is_the_quote_s(client, congress, category):
    VoucherFactory(congress=congress, code="SCHOLAR", kind="waiver", valid_until=PAST)
    quote = client.get(
        f"/en/congresses/{congress.slug}/register/fee/",
        {"category": category.pk, "voucher": "scholar"},
    )

    response = client.post(
        f"/en/congresses/{congress.slug}/register/", form_data(category, voucher_code="scholar")
    )

    assert Registration.objects.count() == 0
    assert response.context["form"].errors == {"voucher_code": [quote.json()["error"]]}


def test_fee_quote_returns_amount_and_reason(client, congress, category):
    response = client.get(
        f"/fr/congresses/{congress.slug}/register/fee/", {"category": category.pk}
    )

    assert response.json() == {
        "amount": "120,00\u00a0€",
        "reasons": ["Tarif normal"],
        "member_amount": "",
    }


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


def test_group_registration_page_registers_delegates_and_opens_the_head_s_page(
    client, congress, category
):
    from tests.factories.members import OrganisationFactory

    organisation = OrganisationFactory()

    response = client.post(
        f"/en/congresses/{congress.slug}/register/group/",
        group_data(category, organisation),
        follow=True,
    )

    assert Registration.objects.filter(group__organisation=organisation).count() == 2
    page = response.content.decode()
    reference = Registration.objects.filter(group__organisation=organisation)[0].group
    assert response.redirect_chain[0][0].startswith("/en/delegation/")
    assert reference.payment_reference in page
    assert "€240.00" in page


def group_data(category, organisation, **delegates):
    return {
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
        "delegates-0-country": "FR",
        "delegates-1-name": "Two",
        "delegates-1-email": "two@example.org",
        "delegates-1-country": "SN",
        **delegates,
    }


def test_group_registration_page_asks_each_delegate_the_questions(client, congress, category):
    from tests.factories.members import OrganisationFactory

    organisation = OrganisationFactory()
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)

    response = client.post(
        f"/en/congresses/{congress.slug}/register/group/",
        group_data(category, organisation, **{"delegates-0-q_diet": "vegan"}),
    )

    assert Registration.objects.count() == 0
    assert [form.errors for form in response.context["formset"].forms] == [
        {},
        {"q_diet": ["“Dietary needs”: this question needs an answer."]},
    ]


def test_group_registration_page_stores_each_delegate_s_answers(client, congress, category):
    from tests.factories.members import OrganisationFactory

    organisation = OrganisationFactory()
    QuestionFactory(congress=congress, code="diet", is_required=True)

    client.post(
        f"/en/congresses/{congress.slug}/register/group/",
        group_data(
            category,
            organisation,
            **{"delegates-0-q_diet": "vegan", "delegates-1-q_diet": "halal"},
        ),
    )

    assert list(
        Registration.objects.order_by("person__email").values_list("person__email", "answers")
    ) == [("one@example.org", {"diet": "vegan"}), ("two@example.org", {"diet": "halal"})]


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
        "'=HYPERLINK(1),Confirmed",
    ]
    event = AuditEvent.objects.get(action="personal_data.export")
    assert (event.actor, event.detail) == (
        organiser,
        {
            "resource": "registrations:manage_export",
            "filters": {"status": "confirmed"},
            "count": 1,
            "format": "csv",
            "columns": ["name", "status"],
        },
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


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Enter an amount greater than zero."),
        ("ten", "Enter a number."),
        ("12.345", "EUR has at most 2 decimals."),
        ("NaN", "Enter a number."),
        ("1e400", "The amount is too large."),
        ("99999999", "The amount is too large."),
    ],
)
def test_manage_action_mark_paid_with_invalid_amount_says_why_and_records_nothing(
    client, congress, category, organiser, amount, message
):
    outcome = register(congress, category)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/{outcome.registration.pk}/mark-paid/",
        {"amount": amount},
        follow=True,
    )

    outcome.registration.refresh_from_db()
    assert [str(item) for item in response.context["messages"]] == [message]
    assert (outcome.registration.status, outcome.registration.payments.count()) == (
        S.PENDING_PAYMENT,
        0,
    )


def test_manage_action_mark_paid_takes_major_units(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/{outcome.registration.pk}/mark-paid/",
        {"amount": "50.25"},
        follow=True,
    )

    outcome.registration.refresh_from_db()
    assert [str(item) for item in response.context["messages"]] == [
        "Payment of €50.25 recorded. Status: Pending payment."
    ]
    assert outcome.registration.amount_paid_minor == 5025


def test_manage_action_mark_paid_reads_french_decimal_comma(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)

    client.post(
        f"/fr/congresses/{congress.slug}/registrations/{outcome.registration.pk}/mark-paid/",
        {"amount": "50,25"},
    )

    outcome.registration.refresh_from_db()
    assert outcome.registration.amount_paid_minor == 5025


def test_manage_detail_mark_paid_field_shows_the_currency(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)

    response = client.get(
        f"/en/congresses/{congress.slug}/registrations/{outcome.registration.pk}/"
    )

    assert response.context["paid_form"]["amount"].label == "Amount received (EUR)"


def test_manage_action_mark_paid_says_what_was_recorded(client, congress, category, organiser):
    outcome = register(congress, category)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/{outcome.registration.pk}/mark-paid/",
        follow=True,
    )

    assert [str(item) for item in response.context["messages"]] == [
        "Payment of €120.00 recorded. Status: Confirmed."
    ]


def test_manage_bank_upload_and_review(
    client, congress, category, organiser, django_capture_on_commit_callbacks
):
    outcome = register(congress, category)
    client.force_login(organiser)
    content = (
        "date,amount,currency,reference\n"
        f"2027-01-05,120.00,EUR,{outcome.registration.payment_reference}\n"
        "2027-01-05,50.00,EUR,unknown\n"
        "2027-01-05,1e400,EUR,unknown\n"
    ).encode()
    upload = io.BytesIO(content)
    upload.name = "statement.csv"

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            f"/en/congresses/{congress.slug}/bank-transfers/",
            {"statement": upload, "file_format": "csv"},
        )
    response = client.get(posted["Location"])
    page = client.get(f"/en/congresses/{congress.slug}/bank-transfers/")

    outcome.registration.refresh_from_db()
    assert outcome.registration.status == S.CONFIRMED
    assert [line.outcome for line in page.context["lines"]] == ["unmatched"]
    assert response.context["summary"] == [
        ("Matched", 1),
        ("Partial payment", 0),
        ("Over-payment", 0),
        ("Unmatched", 1),
        ("Wrong currency", 0),
        ("Already imported", 0),
        ("Refused", 1),
        ("Money going out (not imported)", 0),
    ]
    assert response.context["statement"].line_errors == [
        {"line": 4, "message": "“1e400” is not an amount written with “.” for decimals."}
    ]


def test_manage_bank_import_page_refreshes_while_running(client, congress, organiser):
    statement = BankStatementImport.objects.create(
        congress=congress, file_name="big.csv", total_lines=10000, processed_lines=2500
    )
    statement.state = BankStatementImport.State.RUNNING
    statement.save()
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/bank-transfers/imports/{statement.pk}/")

    html = response.content.decode()
    assert html.count('<meta http-equiv="refresh" content="2">') == 1
    assert response.context["percent"] == 25
    assert "Importing — 2500 of 10000 lines" in html


def test_manage_bank_import_of_other_congress_is_404(client, congress, other_congress, organiser):
    statement = BankStatementImport.objects.create(congress=other_congress, file_name="x.csv")
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/bank-transfers/imports/{statement.pk}/")

    assert response.status_code == 404


def test_manage_bank_upload_wrong_extension_says_why(client, congress, organiser):
    client.force_login(organiser)
    upload = io.BytesIO(b"<Document/>")
    upload.name = "statement.csv"

    response = client.post(
        f"/en/congresses/{congress.slug}/bank-transfers/",
        {"statement": upload, "file_format": "camt053"},
    )

    assert response.context["form"].errors == {
        "statement": ["Upload a file ending in .xml for this format."]
    }
    assert BankStatementImport.objects.count() == 0


def test_manage_bank_mapping_is_saved_and_offered_for_upload(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/bank-transfers/banks/",
        {
            "name": "Sparkasse",
            "delimiter": ";",
            "decimal_separator": ",",
            "thousands_separator": ".",
            "encoding": "utf-8-sig",
            "date_format": "%d.%m.%Y",
            "date_column": "Buchungstag",
            "amount_column": "Betrag",
            "reference_column": "Verwendungszweck",
        },
    )
    page = client.get(f"/en/congresses/{congress.slug}/bank-transfers/")

    mapping = BankImportMapping.objects.get()
    choices = [str(label) for _value, label in page.context["form"].fields["mapping"].choices]
    assert (mapping.congress, mapping.thousands_separator) == (congress, ".")
    assert choices == ["Standard: date, amount, currency, reference", "Sparkasse"]


def test_manage_bank_mapping_same_separators_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/bank-transfers/banks/",
        {
            "name": "Odd bank",
            "delimiter": ";",
            "decimal_separator": ",",
            "thousands_separator": ",",
            "encoding": "utf-8-sig",
            "date_format": "%d.%m.%Y",
            "date_column": "d",
            "amount_column": "a",
            "reference_column": "r",
        },
    )

    assert response.context["form"].errors == {
        "thousands_separator": ["The thousands separator must differ from the decimal separator."]
    }
    assert BankImportMapping.objects.count() == 0


def test_manage_bank_resolve_assigns_line_to_a_delegation(client, congress, category, organiser):
    group = RegistrationGroup.objects.create(
        congress=congress,
        organisation=OrganisationFactory(),
        contact=PersonFactory(),
        payment_reference="GRP-4HT7WX2B",
    )
    RegistrationFactory.create_batch(
        2,
        congress=congress,
        category=category,
        group=group,
        status=S.PENDING_PAYMENT,
        amount_due_minor=9375,
    )
    line = BankTransferLine.objects.create(
        congress=congress,
        statement=BankStatementImport.objects.create(congress=congress, file_name="s.csv"),
        line_key="k",
        booked_on=datetime.date(2027, 1, 5),
        amount_minor=sum(item.amount_due_minor for item in group.registrations.all()),
        currency="EUR",
        reference_text="delegation fees",
        outcome=BankTransferLine.Outcome.UNMATCHED,
    )
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/bank-transfers/{line.pk}/resolve/",
        {"reference": group.payment_reference.lower()},
    )

    line.refresh_from_db()
    statuses = set(group.registrations.values_list("status", flat=True))
    assert (line.group, line.is_reviewed, statuses) == (group, True, {S.CONFIRMED})


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

    menu = response.content.decode().split('class="backoffice-nav"', 1)[1].split("</nav>", 1)[0]
    urls = re.findall(r'href="([^"]+)"', menu)
    first = urls.index(f"/en/congresses/{congress.slug}/registrations/")
    assert urls[first : first + 3] == [
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


# --- organisers move a registration ---------------------------------------------------------


def move(client, congress, registration, category_pk):
    response = client.post(
        f"/en/congresses/{congress.slug}/registrations/{registration.pk}/move/",
        {"category": category_pk},
        follow=True,
    )
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "other_congress",
            "This category does not exist in this congress: the registration was not moved.",
        ),
        (
            "unknown",
            "This category does not exist in this congress: the registration was not moved.",
        ),
        ("missing", "Choose the category to move the registration to."),
        ("same", "The registration is already in this category: nothing was changed."),
        (
            "full",
            "“Press” has no free seat (or people are already waiting for one): "
            "the registration was not moved.",
        ),
    ],
)
def test_manage_move_to_invalid_category_says_why_and_changes_nothing(
    client, congress, other_congress, category, organiser, target, message
):
    registration = register(congress, category).registration
    targets = {
        "other_congress": lambda: RegistrationCategoryFactory(congress=other_congress).pk,
        "unknown": lambda: 999999,
        "missing": lambda: "",
        "same": lambda: category.pk,
        "full": lambda: RegistrationCategoryFactory(congress=congress, name="Press", capacity=0).pk,
    }
    client.force_login(organiser)

    messages = move(client, congress, registration, targets[target]())

    registration.refresh_from_db()
    assert messages == [message]
    assert (registration.category, registration.status, registration.amount_due_minor) == (
        category,
        S.PENDING_PAYMENT,
        12000,
    )


def test_manage_move_to_valid_category_says_what_happened(client, congress, category, organiser):
    registration = register(congress, category).registration
    press = RegistrationCategoryFactory(
        congress=congress, name="Press", name_translations={"fr": "Presse"}, capacity=5
    )
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/registrations/{registration.pk}/move/",
        {"category": press.pk},
        follow=True,
    )

    registration.refresh_from_db()
    assert [str(message) for message in response.context["messages"]] == [
        "Déplacée vers « Presse ». Statut : Confirmée. Tarif : 0,00\u00a0€."
    ]
    assert (registration.category, registration.status) == (press, S.CONFIRMED)
