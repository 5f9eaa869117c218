"""The registration questions' form builder: choices per language, order, preview."""

import pytest

from registrations.models import Question
from tests.backoffice_html import errors, table_rows, texts
from tests.factories.congress import CongressFactory
from tests.factories.registrations import QuestionFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db


def management(total, initial=0):
    return {
        "choices-TOTAL_FORMS": str(total),
        "choices-INITIAL_FORMS": str(initial),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }


def question_data(**extra):
    data = {
        "label_en": "Dietary needs",
        "label_fr": "Régime alimentaire",
        "label_ar": "النظام الغذائي",
        "kind": "choice",
        "is_required": "on",
        **management(3),
        "choices-0-label_en": "Vegetarian",
        "choices-0-label_fr": "Végétarien",
        "choices-0-label_ar": "نباتي",
        "choices-1-label_en": "Halal",
        "choices-1-label_fr": "Halal",
        "choices-1-label_ar": "حلال",
        "choices-2-label_en": "",
        # The rows as the drag-and-drop list left them: Halal moved above Vegetarian.
        "row_order": ["choices-1", "choices-0", "choices-2"],
    }
    return {**data, **extra}


def test_build_a_choice_question_with_translated_choices_in_dragged_order(
    client, congress, organiser
):
    delegates = RegistrationCategoryFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/questions/add/",
        question_data(categories=[delegates.pk]),
    )

    question = Question.objects.get(congress=congress)
    assert response.status_code == 302
    assert (question.code, question.label, question.kind, question.is_required) == (
        "dietary-needs",
        "Dietary needs",
        "choice",
        True,
    )
    assert question.choices == [
        {
            "value": "halal",
            "label": "Halal",
            "translations": {"en": "Halal", "fr": "Halal", "ar": "حلال"},
        },
        {
            "value": "vegetarian",
            "label": "Vegetarian",
            "translations": {"en": "Vegetarian", "fr": "Végétarien", "ar": "نباتي"},
        },
    ]
    assert list(question.categories.all()) == [delegates]


def test_editing_keeps_the_values_answers_use(client, congress, organiser):
    question = QuestionFactory(
        congress=congress,
        kind=Question.Kind.CHOICE,
        choices=[
            {"value": "veg", "label": "Vegetarian", "translations": {"en": "Vegetarian"}},
            {"value": "halal", "label": "Halal", "translations": {"en": "Halal"}},
        ],
    )
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/questions/{question.pk}/",
        {
            "label_en": "Diet",
            "kind": "choice",
            **management(3, initial=2),
            "choices-0-value": "veg",
            "choices-0-label_en": "Vegetarian (no fish)",
            "choices-1-value": "halal",
            "choices-1-label_en": "Halal",
            "choices-1-DELETE": "on",
            "choices-2-label_en": "Vegan",
            "row_order": ["choices-0", "choices-1", "choices-2"],
        },
    )

    question.refresh_from_db()
    assert [(choice["value"], choice["label"]) for choice in question.choices] == [
        ("veg", "Vegetarian (no fish)"),
        ("vegan", "Vegan"),
    ]


def test_choice_question_with_one_choice_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/questions/add/",
        question_data(
            **{"choices-1-label_en": "", "choices-1-label_fr": "", "choices-1-label_ar": ""}
        ),
    )

    assert errors(response) == ["A choice question needs at least two choices."]
    assert response.context["formset"].forms[0]["label"].value() == [
        "Vegetarian",
        "Végétarien",
        "نباتي",
    ]


def test_category_of_another_congress_is_refused(client, congress, organiser):
    foreign = RegistrationCategoryFactory(congress=CongressFactory())
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/questions/add/",
        question_data(categories=[foreign.pk]),
    )

    assert errors(response) == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]


def test_preview_renders_the_participant_widget_in_the_reader_language(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/manage/questions/preview/",
        question_data(),
        headers={"HX-Request": "true"},
    )

    assert texts(response, "//label") == ["Régime alimentaire *"]
    assert texts(response, "//select/option") == ["—", "Halal", "Végétarien"]


def test_question_list_in_order_with_categories(client, congress, organiser):
    delegates = RegistrationCategoryFactory(congress=congress, name="Delegates")
    second = QuestionFactory(congress=congress, label="Second", position=1)
    first = QuestionFactory(congress=congress, label="First", position=0, is_required=True)
    first.categories.add(delegates)
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/questions/")

    assert table_rows(response, "settings-table") == [
        ["⠿", "First", "Short text", "Yes", "Delegates", "Edit · Delete"],
        ["⠿", "Second", "Short text", "No", "Every category", "Edit · Delete"],
    ]
    assert second.position == 1


@pytest.mark.parametrize("count", [1, 5])
def test_question_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    category = RegistrationCategoryFactory(congress=congress)
    for question in QuestionFactory.create_batch(count, congress=congress):
        question.categories.add(category)
    client.force_login(organiser)

    with django_assert_num_queries(31):
        response = client.get(f"/en/congresses/{congress.slug}/manage/questions/")

    assert len(table_rows(response, "settings-table")) == count


def test_reorder_questions(client, congress, organiser):
    first, second = QuestionFactory.create_batch(2, congress=congress)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/questions/order/",
        {"item": [second.pk, first.pk]},
    )

    assert list(Question.objects.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
