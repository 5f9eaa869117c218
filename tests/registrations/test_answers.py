"""The one validator of registration answers (registrations/services/answers.py)."""

import pytest
from django.utils import translation

from registrations import services
from registrations.exceptions import InvalidAnswers
from registrations.models import Question, Registration
from registrations.services.answers import validate_answers
from tests.factories.registrations import QuestionFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db

CHOICES = [
    {"value": "en", "label": "English"},
    {"value": "fr", "label": "Français"},
]


@pytest.fixture
def category(congress):
    return RegistrationCategoryFactory(congress=congress, code="participant")


@pytest.fixture
def questions(congress):
    return {
        "diet": QuestionFactory(congress=congress, code="diet", label="Dietary needs"),
        "needs": QuestionFactory(
            congress=congress, code="needs", label="Accessibility", kind=Question.Kind.LONG_TEXT
        ),
        "interpretation": QuestionFactory(
            congress=congress,
            code="interpretation",
            label="Interpretation",
            label_translations={"fr": "Interprétation"},
            kind=Question.Kind.CHOICE,
            choices=CHOICES,
        ),
        "arrival": QuestionFactory(
            congress=congress, code="arrival", label="Arrival", kind=Question.Kind.DATE
        ),
        "photos": QuestionFactory(
            congress=congress, code="photos", label="Photos", kind=Question.Kind.BOOLEAN
        ),
    }


def problems(error: InvalidAnswers) -> dict:
    return {
        code: [(item.code, item.message) for item in items] for code, items in error.errors.items()
    }


def test_validate_answers_cleans_every_kind(congress, category, questions):
    answers = {
        "diet": "  vegetarian ",
        "needs": "",
        "interpretation": "fr",
        "arrival": "2027-06-14",
        "photos": False,
    }

    cleaned = validate_answers(congress=congress, category=category, answers=answers)

    assert cleaned == {
        "diet": "vegetarian",
        "interpretation": "fr",
        "arrival": "2027-06-14",
        "photos": False,
    }


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"diet": "x" * 501},
            {
                "diet": [
                    (
                        "too_long",
                        "“Dietary needs”: the answer is too long (500 characters at most).",
                    )
                ]
            },
        ),
        (
            {"needs": "x" * 2001},
            {
                "needs": [
                    (
                        "too_long",
                        "“Accessibility”: the answer is too long (2000 characters at most).",
                    )
                ]
            },
        ),
        (
            {"diet": "veg\x00an"},
            {
                "diet": [
                    ("null_character", "“Dietary needs”: the answer contains a null character.")
                ]
            },
        ),
        (
            {"diet": ["vegan"]},
            {"diet": [("invalid_type", "“Dietary needs”: the answer must be text.")]},
        ),
        (
            {"diet": {"a": {"b": "c"}}},
            {"diet": [("invalid_type", "“Dietary needs”: the answer must be text.")]},
        ),
        (
            {"interpretation": "de"},
            {
                "interpretation": [
                    ("invalid_choice", "“Interpretation”: choose one of the options offered.")
                ]
            },
        ),
        (
            {"interpretation": ["en", "fr"]},
            {
                "interpretation": [
                    ("invalid_choice", "“Interpretation”: choose one of the options offered.")
                ]
            },
        ),
        (
            {"arrival": "14/06/2027"},
            {"arrival": [("invalid_date", "“Arrival”: enter a date as YYYY-MM-DD.")]},
        ),
        (
            {"photos": "yes"},
            {
                "photos": [
                    ("invalid_type", "“Photos”: the answer must be yes or no (true or false).")
                ]
            },
        ),
        (
            {"shoe_size": "42"},
            {
                "shoe_size": [
                    (
                        "unknown_question",
                        "There is no question “shoe_size” in this registration category.",
                    )
                ]
            },
        ),
        (
            {"x" * 60: "1"},
            {
                "x" * 50 + "…": [
                    (
                        "unknown_question",
                        "There is no question “" + "x" * 50 + "…” in this registration category.",
                    )
                ]
            },
        ),
    ],
    ids=[
        "short-text-too-long",
        "long-text-too-long",
        "null-character",
        "list",
        "nested-object",
        "invalid-choice",
        "several-choices",
        "date-not-iso",
        "boolean-as-text",
        "unknown-code",
        "long-unknown-code-cut",
    ],
)
def test_validate_answers_refuses_bad_answer_naming_the_question(
    congress, category, questions, answers, expected
):
    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(congress=congress, category=category, answers=answers)

    assert problems(caught.value) == expected


def test_validate_answers_missing_required_names_each_question(congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)
    QuestionFactory(
        congress=congress,
        code="consent_photos",
        label="Photos",
        kind=Question.Kind.BOOLEAN,
        is_required=True,
        position=1,
    )

    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(
            congress=congress, category=category, answers={"diet": "  ", "consent_photos": False}
        )

    assert problems(caught.value) == {
        "diet": [("required", "“Dietary needs”: this question needs an answer.")],
        "consent_photos": [("required", "“Photos”: tick this box to continue.")],
    }
    assert str(caught.value) == (
        "“Dietary needs”: this question needs an answer. “Photos”: tick this box to continue."
    )


def test_validate_answers_question_of_other_category_is_unknown_and_not_required(
    congress, category
):
    press = RegistrationCategoryFactory(congress=congress, code="press")
    QuestionFactory(congress=congress, code="outlet", is_required=True).categories.add(press)

    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(congress=congress, category=category, answers={"outlet": "Le Monde"})

    assert problems(caught.value) == {
        "outlet": [
            (
                "unknown_question",
                "There is no question “outlet” in this registration category.",
            )
        ]
    }
    assert validate_answers(congress=congress, category=category, answers={}) == {}


def test_validate_answers_not_an_object_is_refused(congress, category):
    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(congress=congress, category=category, answers=["diet"])

    assert (caught.value.errors, str(caught.value)) == (
        {},
        "The answers must be an object mapping question codes to answers.",
    )


def test_validate_answers_messages_in_french_use_the_french_label(congress, category, questions):
    with translation.override("fr"), pytest.raises(InvalidAnswers) as caught:
        validate_answers(congress=congress, category=category, answers={"interpretation": "de"})

    assert problems(caught.value) == {
        "interpretation": [
            ("invalid_choice", "« Interprétation » : choisissez l'une des options proposées.")
        ]
    }


def test_register_group_refuses_delegate_answers_like_the_form(congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs", is_required=True)
    from tests.factories.members import OrganisationFactory

    with pytest.raises(InvalidAnswers) as caught:
        services.register_group(
            congress=congress,
            category=category,
            organisation=OrganisationFactory(),
            contact=services.RegistrantDetails(email="contact@example.org", name="Contact"),
            delegates=[
                services.RegistrantDetails(
                    email="one@example.org", name="One", answers={"diet": "vegan"}
                ),
                services.RegistrantDetails(email="two@example.org", name="Two"),
            ],
            payment_method="transfer",
        )

    assert problems(caught.value) == {
        "diet": [("required", "“Dietary needs”: this question needs an answer.")]
    }
    assert Registration.objects.count() == 0


def test_update_answers_refuses_invalid_answer_and_keeps_the_old_one(congress, category):
    QuestionFactory(congress=congress, code="diet", label="Dietary needs")
    registration = services.register_participant(
        congress=congress,
        category=category,
        details=services.RegistrantDetails(
            email="p@example.org", name="P", answers={"diet": "vegan"}
        ),
        send_email=False,
    ).registration

    with pytest.raises(InvalidAnswers):
        services.update_answers(registration=registration, answers={"diet": "x" * 501})

    registration.refresh_from_db()
    assert registration.answers == {"diet": "vegan"}


@pytest.mark.parametrize("count", [1, 6])
def test_validate_answers_query_count_is_flat(congress, category, django_assert_num_queries, count):
    other = RegistrationCategoryFactory(congress=congress)
    for number in range(count):
        QuestionFactory(congress=congress, code=f"q{number}").categories.add(category, other)

    with django_assert_num_queries(2):  # the questions, their categories
        cleaned = validate_answers(congress=congress, category=category, answers={"q0": "yes"})

    assert cleaned == {"q0": "yes"}
