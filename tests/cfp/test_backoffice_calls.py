"""Calls for participation opened, edited and closed from the CfP pages; call questions."""

import datetime

import lxml.html
import pytest
import time_machine

from cfp.models import CallForParticipation, Question
from congress.models import AuditEvent
from tests.backoffice_html import errors, table_rows, texts
from tests.factories.cfp import CallFactory, QuestionFactory, SubmissionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
NOW = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def call_data(**extra):
    data = {
        "title_en": "Call for workshops",
        "title_fr": "Appel à ateliers",
        "title_ar": "دعوة لورش العمل",
        "description_en": "Propose a workshop.",
        "opens_at": "2026-01-15T09:00",
        "closes_at": "2026-03-31T23:59",
        "submission_types": ["workshop", "panel"],
        "languages": ["en", "fr"],
        "word_limit": "400",
    }
    return {**data, **extra}


def test_open_a_new_call_with_local_times_and_tracks(client, congress, organiser):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/add/",
        call_data(tracks=[track.pk]),
    )

    call = CallForParticipation.objects.get(congress=congress)
    assert response.status_code == 302
    assert (call.slug, call.title, call.submission_types, call.languages, call.word_limit) == (
        "call-for-workshops",
        "Call for workshops",
        ["workshop", "panel"],
        ["en", "fr"],
        400,
    )
    assert call.title_translations == {
        "en": "Call for workshops",
        "fr": "Appel à ateliers",
        "ar": "دعوة لورش العمل",
    }
    assert (call.opens_at, call.closes_at) == (
        datetime.datetime(2026, 1, 15, 8, 0, tzinfo=UTC),
        datetime.datetime(2026, 3, 31, 21, 59, tzinfo=UTC),
    )
    assert list(call.tracks.all()) == [track]


def test_call_with_another_congress_track_is_refused(client, congress, organiser):
    foreign = TrackFactory(congress=CongressFactory())
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/add/", call_data(tracks=[foreign.pk])
    )

    assert errors(response) == [
        f"Select a valid choice. {foreign.pk} is not one of the available choices."
    ]
    assert CallForParticipation.objects.count() == 0


def test_call_closing_before_opening_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/add/",
        call_data(closes_at="2026-01-01T09:00"),
    )

    assert errors(response) == ["The call must close after it opens."]


def test_review_settings_are_saved(client, congress, organiser):
    call = CallFactory(congress=congress)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/review/",
        {"reviews_per_submission": "3", "score_min": "0", "score_max": "10"},
    )

    call.refresh_from_db()
    assert (call.reviews_per_submission, call.is_anonymised, call.score_min, call.score_max) == (
        3,
        False,
        0,
        10,
    )


def test_review_scale_upside_down_is_refused(client, congress, organiser):
    call = CallFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/review/",
        {"reviews_per_submission": "2", "score_min": "5", "score_max": "1"},
    )

    assert errors(response) == ["The highest score must be above the lowest."]


@time_machine.travel(NOW, tick=False)
def test_close_an_open_call_now(client, congress, organiser):
    call = CallFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/close/", follow=True
    )

    call.refresh_from_db()
    assert call.closes_at == NOW
    assert table_rows(response, "calls")[0][3] == "Closed"
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["cfp.call_closed"]


@time_machine.travel(NOW, tick=False)
def test_open_a_call_that_opens_later(client, congress, organiser):
    call = CallFactory(
        congress=congress,
        opens_at=datetime.datetime(2026, 3, 1, tzinfo=UTC),
        closes_at=datetime.datetime(2026, 4, 1, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/open/", follow=True
    )

    call.refresh_from_db()
    assert call.opens_at == NOW
    assert table_rows(response, "calls")[0][3] == "Open"


@time_machine.travel(NOW, tick=False)
def test_opening_a_call_whose_closing_time_passed_is_refused(client, congress, organiser):
    call = CallFactory(
        congress=congress,
        opens_at=datetime.datetime(2025, 1, 1, tzinfo=UTC),
        closes_at=datetime.datetime(2025, 2, 1, tzinfo=UTC),
    )
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/open/", follow=True
    )

    assert [str(message) for message in response.context["messages"]] == [
        "This call's closing time has passed: set a later closing time, then open it."
    ]


def test_closing_another_congress_call_is_404(client, congress, organiser):
    foreign = CallFactory(congress=CongressFactory())
    client.force_login(organiser)

    response = client.post(f"/en/congresses/{congress.slug}/cfp/manage/calls/{foreign.pk}/close/")

    assert response.status_code == 404


def test_reviewer_cannot_edit_calls(client, congress):
    call = CallFactory(congress=congress)
    client.force_login(CongressRoleFactory(congress=congress, role="reviewer").user)

    response = client.get(f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/")

    assert response.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_manage_page_links_to_our_pages_never_to_the_admin(client, congress, organiser):
    CallFactory(congress=congress, title="Workshops")
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/cfp/manage/")

    document = lxml.html.fromstring(response.content.decode())
    # The site header's "Administration" link for is_staff users is bo-core's part of #12.
    assert [href for href in document.xpath("//main//a/@href") if "/admin/" in href] == []
    assert table_rows(response, "calls")[0][:5] == [
        "Workshops",
        "Jan. 1, 2026, 1 a.m.",
        "April 1, 2026, midnight",
        "Open",
        "0",
    ]


@pytest.mark.parametrize("count", [1, 5])
@time_machine.travel(NOW, tick=False)
def test_manage_calls_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for call in CallFactory.create_batch(count, congress=congress):
        SubmissionFactory(call=call, congress=congress)
    client.force_login(organiser)

    with django_assert_num_queries(30):
        response = client.get(f"/en/congresses/{congress.slug}/cfp/manage/")

    assert len(table_rows(response, "calls")) == count


def question_data(**extra):
    data = {
        "label_en": "Which format?",
        "label_fr": "Quel format ?",
        "help_text": "",
        "kind": "multiple_choice",
        "is_required": "on",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-label_en": "Online",
        "choices-0-label_fr": "En ligne",
        "choices-1-label_en": "In person",
        "choices-1-label_fr": "Sur place",
        "row_order": ["choices-0", "choices-1"],
    }
    return {**data, **extra}


def test_add_call_question_with_translated_choices(client, congress, organiser):
    call = CallFactory(congress=congress)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/questions/add/",
        question_data(),
    )

    question = Question.objects.get(call=call)
    assert (question.label, question.kind, question.is_required) == (
        "Which format?",
        "multiple_choice",
        True,
    )
    assert question.choices == [
        {
            "value": "online",
            "label": "Online",
            "label_translations": {"en": "Online", "fr": "En ligne"},
        },
        {
            "value": "in-person",
            "label": "In person",
            "label_translations": {"en": "In person", "fr": "Sur place"},
        },
    ]


def test_call_question_preview_as_the_submitter_sees_it(client, congress, organiser):
    call = CallFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/questions/preview/",
        question_data(),
    )

    preview = "//div[@class='participant-preview']"
    assert texts(response, f"{preview}/div/label/text()[1]") == ["Quel format ?"]
    assert texts(response, f"{preview}//input[@type='checkbox']/..") == ["En ligne", "Sur place"]


def test_call_questions_list_and_reorder(client, congress, organiser):
    call = CallFactory(congress=congress)
    first = QuestionFactory(call=call, label="First", position=0)
    second = QuestionFactory(call=call, label="Second", position=1)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/questions/",
        {"item": [second.pk, first.pk]},
        headers={"HX-Request": "true"},
    )

    assert [row[1] for row in table_rows_fragment(response)] == ["Second", "First"]


def table_rows_fragment(response):
    fragment = lxml.html.fromstring(f"<table><tbody>{response.content.decode()}</tbody></table>")
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in fragment.xpath("//tr")
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_call_questions_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    call = CallFactory(congress=congress)
    QuestionFactory.create_batch(count, call=call)
    client.force_login(organiser)

    with django_assert_num_queries(31):
        response = client.get(
            f"/en/congresses/{congress.slug}/cfp/manage/calls/{call.pk}/questions/"
        )

    assert len(table_rows(response, "settings-table")) == count
