import pytest
from rest_framework.test import APIClient

from congress.models import AuditEvent, Congress
from registrations.models import Question, Registration
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import (
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db
S = Registration.Status


def url(congress):
    return f"/api/v1/congresses/{congress.slug}/registrations/"


@pytest.fixture
def paid_category(congress):
    category = RegistrationCategoryFactory(congress=congress, code="participant", capacity=5)
    FeeRuleFactory(category=category, amount_minor=20000)
    return category


def test_post_registration_transfer_answers_201_with_status(congress, paid_category):
    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "chidi@example.org", "name": "Chidi Okonkwo"},
        format="json",
    )

    body = response.json()
    registration = Registration.objects.get()
    assert response.status_code == 201
    assert body["id"] == registration.pk
    assert (body["status"], body["amount_due_minor"], body["fee_reasons"]) == (
        "pending_payment",
        20000,
        ["standard"],
    )
    assert "checkout_url" not in body


def test_post_registration_card_answers_checkout_url(congress, paid_category, stripe_stub):
    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "card@example.org",
            "name": "Card",
            "payment_method": "card",
        },
        format="json",
    )

    session_id = next(iter(stripe_stub.sessions))
    assert response.status_code == 201
    assert response.json()["checkout_url"] == f"https://checkout.stripe.com/c/pay/{session_id}"


def test_post_registration_card_without_stripe_keys_is_refused(congress, paid_category, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "c@example.org",
            "name": "C",
            "payment_method": "card",
        },
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "payment_unavailable")
    assert Registration.objects.count() == 0


def test_post_registration_twice_is_conflict(congress, paid_category):
    data = {"category": "participant", "email": "twice@example.org", "name": "Twice"}
    APIClient().post(url(congress), data, format="json")

    response = APIClient().post(
        url(congress), {**data, "email": "TWICE@example.org"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "already_registered")
    assert Registration.objects.count() == 1


def test_post_registration_invalid_gives_field_errors_in_french(congress, paid_category):
    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "not-an-email"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert sorted(response.json()) == ["email", "name"]
    assert response.json()["name"] == ["Ce champ est obligatoire."]


def test_staff_list_filters_by_status_and_category(
    congress, paid_category, organiser, token_client
):
    other = RegistrationCategoryFactory(congress=congress, code="press")
    wanted = RegistrationFactory(congress=congress, category=paid_category, status=S.CONFIRMED)
    RegistrationFactory(congress=congress, category=other, status=S.CONFIRMED)
    RegistrationFactory(congress=congress, category=paid_category, status=S.WAITLISTED)

    response = token_client(organiser).get(
        url(congress), {"status": "confirmed", "category": "participant"}
    )

    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


def test_staff_list_filters_by_organisation_and_country(congress, organiser, token_client):
    organisation = OrganisationFactory()
    wanted = RegistrationFactory(
        congress=congress, person=PersonFactory(organisation=organisation, country="KE")
    )
    RegistrationFactory(congress=congress, person=PersonFactory(organisation=organisation))
    RegistrationFactory(congress=congress, person=PersonFactory(country="KE"))

    response = token_client(organiser).get(
        url(congress), {"organisation": organisation.pk, "country": "KE"}
    )

    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


def test_staff_list_other_congress_does_not_leak(congress, other_congress, organiser, token_client):
    mine = RegistrationFactory(congress=congress)
    RegistrationFactory(congress=other_congress)

    response = token_client(organiser).get(url(congress))

    assert [item["id"] for item in response.json()["results"]] == [mine.pk]


def test_staff_list_protected_shown_to_organiser(congress, organiser, token_client):
    visible = RegistrationFactory(congress=congress)
    protected = RegistrationFactory(congress=congress, is_protected=True)

    response = token_client(organiser).get(url(congress))

    assert [item["id"] for item in response.json()["results"]] == [visible.pk, protected.pk]


def test_staff_list_reviewer_gets_no_contact_data(congress, reviewer, token_client):
    ordinary = RegistrationFactory(
        congress=congress,
        person__email="ordinary.delegate@example.org",
        payment_reference="REG-ORDINARY",
    )

    response = token_client(reviewer).get(url(congress))

    body = response.content.decode()
    assert response.status_code == 403
    assert "results" not in response.json()
    assert [text for text in (ordinary.person.email, "REG-ORDINARY") if text in body] == []


def test_staff_list_checkin_staff_gets_nothing(congress, checkin_staff, token_client):
    RegistrationFactory(congress=congress, is_protected=True)

    response = token_client(checkin_staff).get(url(congress))

    assert response.status_code == 403
    assert "results" not in response.json()


def test_staff_list_anonymous_gets_nothing(congress):
    RegistrationFactory(congress=congress)

    response = APIClient().get(url(congress))

    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize("count", [1, 6])
def test_staff_list_query_count_is_flat(
    congress, organiser, token_client, django_assert_num_queries, count
):
    RegistrationFactory.create_batch(
        count, congress=congress, person__organisation=OrganisationFactory()
    )
    client = token_client(organiser)

    # Token, role, congress, count, page, the audit row (privacy).
    with django_assert_num_queries(6):
        response = client.get(url(congress))

    assert len(response.json()["results"]) == count


def test_action_approve_by_organiser_changes_status_and_audits(congress, organiser, token_client):
    category = RegistrationCategoryFactory(congress=congress, requires_approval=True)
    registration = RegistrationFactory(
        congress=congress, category=category, status=S.PENDING_APPROVAL
    )

    response = token_client(organiser).post(f"{url(congress)}{registration.pk}/approve/")

    assert (response.status_code, response.json()["status"]) == (200, "confirmed")
    assert AuditEvent.objects.filter(action="registration.approved").count() == 1


def test_action_mark_paid_confirms(congress, paid_category, organiser, token_client):
    registration = RegistrationFactory(
        congress=congress,
        category=paid_category,
        status=S.PENDING_PAYMENT,
        amount_due_minor=20000,
    )

    response = token_client(organiser).post(
        f"{url(congress)}{registration.pk}/mark-paid/", {}, format="json"
    )

    assert response.json()["status"] == "confirmed"
    assert response.json()["amount_paid_minor"] == 20000


def test_action_by_reviewer_is_forbidden(congress, reviewer, token_client):
    registration = RegistrationFactory(congress=congress, status=S.PENDING_APPROVAL)

    response = token_client(reviewer).post(f"{url(congress)}{registration.pk}/approve/")

    registration.refresh_from_db()
    assert response.status_code == 403
    assert registration.status == S.PENDING_APPROVAL


def test_action_on_other_congress_registration_is_not_found(
    congress, other_congress, organiser, token_client
):
    registration = RegistrationFactory(congress=other_congress, status=S.PENDING_APPROVAL)

    response = token_client(organiser).post(f"{url(congress)}{registration.pk}/approve/")

    registration.refresh_from_db()
    assert response.status_code == 404
    assert registration.status == S.PENDING_APPROVAL


def test_schema_documents_registration_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert "post" in paths["/api/v1/congresses/{slug}/registrations/"]
    assert "get" in paths["/api/v1/congresses/{slug}/registrations/"]


def test_post_registration_card_with_stripe_down_still_registers(
    congress, paid_category, stripe_stub
):
    stripe_stub.fail = True

    response = APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "d@example.org",
            "name": "D",
            "payment_method": "card",
        },
        format="json",
    )

    assert (response.status_code, response.json()["checkout_url"]) == (201, "")
    assert Registration.objects.get().status == S.PENDING_PAYMENT


# --- answers: the same validator as the registration form ---------------------------------


@pytest.fixture
def diet_question(congress, paid_category):
    return QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)


def post_answers(congress, answers, **extra):
    return APIClient().post(
        url(congress),
        {
            "category": "participant",
            "email": "answers@example.org",
            "name": "Answers",
            "answers": answers,
        },
        format="json",
        **extra,
    )


def test_post_registration_stores_answers_cleaned(congress, diet_question):
    response = post_answers(congress, {"diet": "  vegetarian  "})

    assert response.status_code == 201
    assert Registration.objects.get().answers == {"diet": "vegetarian"}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {},
            {
                "diet": [
                    {
                        "code": "required",
                        "detail": "“Dietary needs”: this question needs an answer.",
                    }
                ]
            },
        ),
        (
            {"diet": "vegan", "shoe_size": "42"},
            {
                "shoe_size": [
                    {
                        "code": "unknown_question",
                        "detail": "There is no question “shoe_size” in this registration category.",
                    }
                ]
            },
        ),
        (
            {"diet": "x" * 5000},
            {
                "diet": [
                    {
                        "code": "too_long",
                        "detail": (
                            "“Dietary needs”: the answer is too long (500 characters at most)."
                        ),
                    }
                ]
            },
        ),
        (
            {"diet": "veg\x00an"},
            {
                "diet": [
                    {
                        "code": "null_character",
                        "detail": "“Dietary needs”: the answer contains a null character.",
                    }
                ]
            },
        ),
        (
            {"diet": [[["vegan"]]]},
            {
                "diet": [
                    {"code": "invalid_type", "detail": "“Dietary needs”: the answer must be text."}
                ]
            },
        ),
        (
            {"diet": 42},
            {
                "diet": [
                    {"code": "invalid_type", "detail": "“Dietary needs”: the answer must be text."}
                ]
            },
        ),
    ],
    ids=[
        "missing-required",
        "unknown-code",
        "5000-characters",
        "null-character",
        "nested",
        "number",
    ],
)
def test_post_registration_bad_answers_is_400_naming_the_question(
    congress, diet_question, answers, expected
):
    response = post_answers(congress, answers)

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["answers"]) == ("invalid_answers", expected)
    assert Registration.objects.count() == 0


def test_post_registration_invalid_choice_is_400_in_french(congress, paid_category):
    QuestionFactory(
        congress=congress,
        code="interpretation",
        label="Interpretation",
        label_translations={"fr": "Interprétation"},
        kind=Question.Kind.CHOICE,
        choices=[{"value": "en", "label": "English"}, {"value": "fr", "label": "Français"}],
    )

    response = post_answers(congress, {"interpretation": "de"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "invalid_answers",
            "detail": "« Interprétation » : choisissez l'une des options proposées.",
            "answers": {
                "interpretation": [
                    {
                        "code": "invalid_choice",
                        "detail": "« Interprétation » : choisissez l'une des options proposées.",
                    }
                ]
            },
        },
    )


def test_post_registration_deeply_nested_answers_is_400_not_500(congress, diet_question):
    body = (
        '{"category": "participant", "email": "deep@example.org", "name": "Deep", '
        '"answers": {"diet": ' + "[" * 5000 + "]" * 5000 + "}}"
    )

    response = APIClient().generic("POST", url(congress), body, content_type="application/json")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "JSON parse error: the document is nested too deeply."},
    )
    assert Registration.objects.count() == 0


def test_post_registration_answers_refused_with_the_form_s_message(
    client, congress, paid_category, diet_question
):
    form_page = client.post(
        f"/en/congresses/{congress.slug}/register/",
        {
            "category": paid_category.pk,
            "name": "Form",
            "email": "form@example.org",
            "country": "FR",
            "language": "en",
            "list_visibility": "nowhere",
            "consent": "on",
            "q_diet": "x" * 501,
        },
    )

    response = post_answers(congress, {"diet": "x" * 501})

    assert form_page.context["form"].errors == {
        "q_diet": [response.json()["answers"]["diet"][0]["detail"]]
    }


# --- a draft congress takes no registrations (as its page) ---------------------------------


def test_post_registration_for_draft_congress_is_not_found(congress, paid_category):
    congress.status = Congress.Status.DRAFT
    congress.save()

    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "early@example.org", "name": "Early"},
        format="json",
    )

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
    assert Registration.objects.count() == 0


def test_post_registration_for_archived_congress_is_not_found(congress, paid_category):
    congress.status = Congress.Status.ARCHIVED
    congress.save()

    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "late@example.org", "name": "Late"},
        format="json",
    )

    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_post_registration_for_draft_congress_by_its_organiser_registers(
    congress, paid_category, organiser, token_client
):
    congress.status = Congress.Status.DRAFT
    congress.save()

    response = token_client(organiser).post(
        url(congress),
        {"category": "participant", "email": "trial@example.org", "name": "Trial"},
        format="json",
    )

    assert response.status_code == 201
    assert list(Registration.objects.values_list("person__email", flat=True)) == [
        "trial@example.org"
    ]


def test_staff_list_of_draft_congress_is_not_found_for_anonymous(congress):
    congress.status = Congress.Status.DRAFT
    congress.save()
    RegistrationFactory(congress=congress)

    response = APIClient().get(url(congress))

    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


# --- move -----------------------------------------------------------------------------------


def test_action_move_to_same_category_is_refused_and_changes_nothing(
    congress, paid_category, organiser, token_client
):
    registration = RegistrationFactory(congress=congress, category=paid_category)

    response = token_client(organiser).post(
        f"{url(congress)}{registration.pk}/move/", {"category": "participant"}, format="json"
    )

    registration.refresh_from_db()
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": "same_category",
            "detail": "The registration is already in this category: nothing was changed.",
        },
    )
    assert (registration.category, registration.status) == (paid_category, S.CONFIRMED)


def test_action_move_to_full_category_is_conflict_and_changes_nothing(
    congress, paid_category, organiser, token_client
):
    RegistrationCategoryFactory(congress=congress, code="press", name="Press", capacity=0)
    registration = RegistrationFactory(congress=congress, category=paid_category)

    response = token_client(organiser).post(
        f"{url(congress)}{registration.pk}/move/", {"category": "press"}, format="json"
    )

    registration.refresh_from_db()
    assert (response.status_code, response.json()["code"]) == (409, "category_full")
    assert (registration.category, registration.status) == (paid_category, S.CONFIRMED)


@pytest.mark.django_db(transaction=True)  # the confirmation e-mail goes on commit
def test_post_registration_with_mail_server_down_still_registers(congress, paid_category, settings):
    settings.EMAIL_BACKEND = "tests.common.test_mail.RefusingBackend"

    response = APIClient().post(
        url(congress),
        {"category": "participant", "email": "chidi@example.org", "name": "Chidi Okonkwo"},
        format="json",
    )

    assert (response.status_code, response.json()["status"]) == (201, "pending_payment")
    assert list(Registration.objects.values_list("person__email", flat=True)) == [
        "chidi@example.org"
    ]
