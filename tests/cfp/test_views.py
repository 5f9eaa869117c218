import csv
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from cfp.models import Question, ReviewAssignment, Submission
from cfp.services import assign_reviewer, decide_submissions, invite_reviewer, submit_proposal
from cfp.services.submissions import PersonDetails, SubmissionContent
from common.tokens import hash_token
from congress.models import CongressRole
from sessions.models import Session
from tests.factories.cfp import (
    DURING_CALL,
    CallFactory,
    QuestionFactory,
    ReviewFactory,
    SubmissionFactory,
)
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _form_data(**overrides):
    data = {
        "name": "أمينة بن سالم",
        "email": "amina@example.org",
        "submission_type": "talk",
        "language": "ar",
        "title": "العدالة للجميع",
        "abstract": "نص قصير",
    }
    data.update(overrides)
    return data


def _submit_url(call):
    return f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/submit/"


def _organiser(call):
    return CongressRoleFactory(congress=call.congress, role=CongressRole.Role.ORGANISER).user


def _reviewer(call):
    user = UserFactory()
    invite_reviewer(call=call, reviewer=user)
    return user


def test_submit_page_in_arabic_is_rtl_with_auto_direction_inputs(client):
    call = CallFactory(title_translations={"ar": "دعوة للمشاركة"})

    with time_machine.travel(DURING_CALL, tick=False):
        response = client.get(f"/ar/congresses/{call.congress.slug}/cfp/{call.slug}/submit/")

    body = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in body
    assert "<h1>دعوة للمشاركة</h1>" in body
    assert 'name="abstract" cols="40" rows="8" dir="auto"' in body


def test_submit_page_posts_proposal_and_redirects_to_private_link(client):
    call = CallFactory()

    with time_machine.travel(DURING_CALL, tick=False):
        response = client.post(_submit_url(call), _form_data(), follow=True)

    submission = Submission.objects.get()
    assert submission.title == "العدالة للجميع"
    assert response.redirect_chain[0][0].startswith("/en/cfp/submission/")
    assert "Thank you: your proposal was received." in response.content.decode()


def test_submit_page_with_errors_keeps_typed_values_and_shows_each_error(client):
    call = CallFactory(word_limit=2)
    question = QuestionFactory(call=call, is_required=True, label="Biography")

    with time_machine.travel(DURING_CALL, tick=False):
        response = client.post(
            _submit_url(call), _form_data(abstract="one two three", email="not-an-email")
        )

    body = response.content.decode()
    assert Submission.objects.count() == 0
    form = response.context["form"]
    assert form.errors["abstract"] == ["The abstract has 3 words; the limit is 2."]
    assert form.errors[f"question_{question.pk}"] == ["This question needs an answer."]
    assert form.errors["email"] == ["Enter a valid email address."]
    assert 'value="العدالة للجميع"' in body
    assert "\none two three</textarea>" in body


def test_submit_page_with_errors_in_french_shows_french_messages(client):
    call = CallFactory()
    QuestionFactory(call=call, is_required=True)

    with time_machine.travel(DURING_CALL, tick=False):
        response = client.post(
            f"/fr/congresses/{call.congress.slug}/cfp/{call.slug}/submit/", _form_data(title="")
        )

    assert response.context["form"].errors["title"] == ["Ce champ est obligatoire."]


def test_submit_page_after_close_shows_closed_and_stores_nothing(client):
    call = CallFactory()

    with time_machine.travel(call.closes_at, tick=False):
        response = client.post(_submit_url(call), _form_data())

    assert Submission.objects.count() == 0
    assert 'id="call-closed"' in response.content.decode()


def _submitted(call, **content):
    with time_machine.travel(DURING_CALL, tick=False):
        return submit_proposal(
            call=call,
            content=SubmissionContent(
                submitter=PersonDetails(name="Sara Shah", email="sara@example.org"),
                submission_type="talk",
                language="en",
                title="Drug offences",
                abstract="Short.",
                **content,
            ),
            interface_language="en",
        )


def test_private_link_edit_while_open_saves_changes(client):
    call = CallFactory()
    submission, token = _submitted(call)

    with time_machine.travel(DURING_CALL, tick=False):
        client.post(
            f"/en/cfp/submission/{token}/",
            _form_data(title="New title", name="Sara Shah", email="sara@example.org"),
        )

    submission.refresh_from_db()
    assert submission.title == "New title"


def test_private_link_withdraw_withdraws(client):
    call = CallFactory()
    submission, token = _submitted(call)

    with time_machine.travel(DURING_CALL, tick=False):
        client.post(f"/en/cfp/submission/{token}/", {"action": "withdraw"})

    submission.refresh_from_db()
    assert submission.status == "withdrawn"


def test_private_link_with_wrong_token_is_not_found(client):
    SubmissionFactory(access_token_hash=hash_token("right-token"))

    response = client.get("/en/cfp/submission/wrong-token/", follow=True)

    assert response.status_code == 404


def test_submitter_file_is_served_only_through_own_link(client, private_media):
    call = CallFactory()
    question = QuestionFactory(call=call, kind=Question.Kind.FILE)
    submission, token = _submitted(
        call, files={question.pk: SimpleUploadedFile("cv.pdf", PDF_BYTES)}
    )
    _other, other_token = _submitted(call)
    stored = submission.files.get()

    own = client.get(f"/en/cfp/submission/{token}/files/{stored.pk}/", follow=True)
    foreign = client.get(f"/en/cfp/submission/{other_token}/files/{stored.pk}/", follow=True)

    own_bytes = b"".join(own.streaming_content)
    assert own_bytes == PDF_BYTES
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"].startswith("attachment")
    assert foreign.status_code == 404


def test_staff_file_is_served_to_organiser_and_assigned_reviewer_only(client, private_media):
    call = CallFactory(is_anonymised=False)
    question = QuestionFactory(call=call, kind=Question.Kind.FILE)
    submission, _token = _submitted(
        call, files={question.pk: SimpleUploadedFile("p.pdf", PDF_BYTES)}
    )
    stored = submission.files.get()
    assigned, unassigned = _reviewer(call), _reviewer(call)
    assign_reviewer(submission=submission, reviewer=assigned)
    url = f"/en/congresses/{call.congress.slug}/cfp/files/{stored.pk}/"
    results = {}

    for name, user in [
        ("organiser", _organiser(call)),
        ("assigned", assigned),
        ("unassigned", unassigned),
    ]:
        client.force_login(user)
        response = client.get(url)
        results[name] = response.status_code
        if response.streaming:
            b"".join(response.streaming_content)  # consume it: closes the file

    assert results == {"organiser": 200, "assigned": 200, "unassigned": 404}


def test_identifying_file_is_hidden_from_reviewer_when_anonymised(client, private_media):
    call = CallFactory(is_anonymised=True)
    question = QuestionFactory(call=call, kind=Question.Kind.FILE, is_identifying=True)
    submission, _token = _submitted(
        call, files={question.pk: SimpleUploadedFile("cv.pdf", PDF_BYTES)}
    )
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)

    response = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/files/{submission.files.get().pk}/"
    )

    assert response.status_code == 404


def test_reviewer_list_shows_only_assigned_submissions(client):
    call = CallFactory()
    mine = SubmissionFactory(call=call, title="Assigned to me")
    SubmissionFactory(call=call, title="Someone else's")
    reviewer = _reviewer(call)
    assign_reviewer(submission=mine, reviewer=reviewer)
    client.force_login(reviewer)

    response = client.get(f"/en/congresses/{call.congress.slug}/reviews/")

    assert [item.title for item in response.context["submissions"]] == ["Assigned to me"]


def test_reviewer_cannot_open_unassigned_submission(client):
    call = CallFactory()
    other = SubmissionFactory(call=call)
    client.force_login(_reviewer(call))

    response = client.get(f"/en/congresses/{call.congress.slug}/reviews/{other.pk}/")

    assert response.status_code == 404


@pytest.mark.parametrize(("is_anonymised", "shows_name"), [(True, False), (False, True)])
def test_review_page_hides_names_when_anonymised_and_never_shows_email(
    client, is_anonymised, shows_name
):
    call = CallFactory(is_anonymised=is_anonymised)
    organisation = OrganisationFactory(name="Justice Project Pakistan")
    submission = SubmissionFactory(
        call=call,
        organisation=organisation,
        submitter=PersonFactory(name="Sara Shah", email="sara@example.org"),
    )
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)

    body = client.get(
        f"/en/congresses/{call.congress.slug}/reviews/{submission.pk}/"
    ).content.decode()

    assert ("Sara Shah" in body) is shows_name
    assert ("Justice Project Pakistan" in body) is shows_name
    assert "sara@example.org" not in body


def test_review_page_post_saves_review(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)

    client.post(
        f"/en/congresses/{call.congress.slug}/reviews/{submission.pk}/",
        {"score": "4", "comment_for_committee": "Solid."},
    )

    assert list(submission.reviews.values_list("score", "comment_for_committee")) == [(4, "Solid.")]


def test_review_page_conflict_declaration_removes_assignment(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    reviewer = _reviewer(call)
    assign_reviewer(submission=submission, reviewer=reviewer)
    client.force_login(reviewer)

    client.post(
        f"/en/congresses/{call.congress.slug}/reviews/{submission.pk}/",
        {"action": "conflict", "reason": "Colleague"},
    )

    assert ReviewAssignment.objects.count() == 0
    assert submission.conflicts.get().reason == "Colleague"


@pytest.mark.parametrize("role", [CongressRole.Role.REVIEWER, CongressRole.Role.CHECKIN_STAFF])
def test_dashboard_is_not_found_for_non_organisers(client, role):
    call = CallFactory()
    client.force_login(CongressRoleFactory(congress=call.congress, role=role).user)

    response = client.get(f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/")

    assert response.status_code == 404


def test_dashboard_of_other_congress_is_not_found_for_organiser(client):
    call = CallFactory()
    other_call = CallFactory()
    client.force_login(_organiser(call))

    response = client.get(
        f"/en/congresses/{other_call.congress.slug}/cfp/{other_call.slug}/dashboard/"
    )

    assert response.status_code == 404


def _dashboard_world(call, count):
    reviewer = UserFactory()
    for index in range(count):
        submission = SubmissionFactory(
            call=call, title=f"P{index}", organisation=OrganisationFactory()
        )
        ReviewFactory(submission=submission, reviewer=reviewer, score=1 + index % 5)
        ReviewFactory(submission=submission, reviewer=UserFactory(), score=5)


@pytest.mark.parametrize("count", [1, 6])
def test_dashboard_query_count_is_flat(client, django_assert_num_queries, count):
    call = CallFactory()
    _dashboard_world(call, count)
    client.force_login(_organiser(call))
    url = f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/"

    # session, user, congress, organiser check, call, its tracks, rows, their reviews, the
    # audit row.
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["rows"]) == count


def test_dashboard_sorts_by_mean_and_shows_spread(client):
    call = CallFactory()
    low = SubmissionFactory(call=call, title="Low")
    high = SubmissionFactory(call=call, title="High")
    for score in (1, 3):
        ReviewFactory(submission=low, reviewer=UserFactory(), score=score)
    for score in (5, 4):
        ReviewFactory(submission=high, reviewer=UserFactory(), score=score)
    SubmissionFactory(call=call, title="Unreviewed")
    client.force_login(_organiser(call))

    response = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/?sort=score"
    )

    rows = response.context["rows"]
    assert [(r.title, r.score_mean, r.score_spread) for r in rows] == [
        ("High", 4.5, 1),
        ("Low", 2.0, 2),
        ("Unreviewed", None, None),
    ]


def test_dashboard_filters_by_language_and_country(client):
    call = CallFactory()
    SubmissionFactory(
        call=call, title="Arabic from Tunisia", language="ar", submitter__country="TN"
    )
    SubmissionFactory(call=call, title="Arabic from France", language="ar", submitter__country="FR")
    SubmissionFactory(
        call=call, title="English from Tunisia", language="en", submitter__country="TN"
    )
    client.force_login(_organiser(call))

    response = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/?language=ar&country=TN"
    )

    assert [row.title for row in response.context["rows"]] == ["Arabic from Tunisia"]


def test_dashboard_exports_csv_and_xlsx_with_same_rows(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call, title="=HYPERLINK(1)", submitter__name="أمينة")
    ReviewFactory(
        submission=submission, reviewer=UserFactory(), score=4, comment_for_committee="Good"
    )
    client.force_login(_organiser(call))
    url = f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/"

    csv_response = client.get(url + "?format=csv")
    xlsx_response = client.get(url + "?format=xlsx")

    rows = list(csv.reader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][6] == "أمينة"
    assert rows[1][10:14] == ["4.0", "0", "4", "Good"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [cell.value for cell in sheet[2]][6] == "أمينة"
    assert sheet.max_row == 2


def test_dashboard_xlsx_keeps_a_submitters_formula_title_as_text(client):
    # A public submitter's title must not become a live formula in the organisers' sheet.
    title = '=HYPERLINK("http://x","y")'
    call = CallFactory()
    SubmissionFactory(call=call, title=title)
    client.force_login(_organiser(call))

    response = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/?format=xlsx"
    )

    cell = load_workbook(io.BytesIO(response.getvalue())).active["B2"]
    assert (cell.value, cell.data_type) == (title, "s")


def test_dashboard_xlsx_drops_a_control_character_pasted_into_a_title(client):
    call = CallFactory()
    SubmissionFactory(call=call, title="Justice\x0b for all")
    client.force_login(_organiser(call))

    response = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/dashboard/?format=xlsx"
    )

    assert load_workbook(io.BytesIO(response.getvalue())).active["B2"].value == "Justice for all"


def test_bulk_decision_from_dashboard_sets_status(client):
    call = CallFactory()
    first, second = SubmissionFactory.create_batch(2, call=call)
    client.force_login(_organiser(call))

    client.post(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/decide/",
        {"decision": "rejected", "submissions": [first.pk, second.pk]},
    )

    assert set(Submission.objects.values_list("status", flat=True)) == {"rejected"}


def test_reviewer_cannot_post_decision(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    client.force_login(_reviewer(call))

    response = client.post(
        f"/en/congresses/{call.congress.slug}/cfp/{call.slug}/decide/",
        {"decision": "accepted", "submissions": [submission.pk]},
    )

    submission.refresh_from_db()
    assert (response.status_code, submission.status) == (404, "submitted")


def test_congress_page_links_to_call_for_participation(client):
    call = CallFactory()

    body = client.get(f"/en/congresses/{call.congress.slug}/").content.decode()

    assert f'href="/en/congresses/{call.congress.slug}/cfp/"' in body


def test_submission_page_links_to_its_draft_session_in_the_programme(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call, title="Prison conditions")
    decide_submissions(call=call, submission_ids=[submission.pk], decision="accepted")
    submission.refresh_from_db()
    client.force_login(_organiser(call))

    body = client.get(
        f"/en/congresses/{call.congress.slug}/cfp/submissions/{submission.pk}/"
    ).content.decode()

    session_id = submission.programme_session_id
    [fact] = re.findall(r"<dt>In the programme</dt>(<dd.*?</dd>)", body)
    assert fact == (
        '<dd dir="auto">'
        f'<a href="/en/admin/programme/session/{session_id}/change/">Prison conditions</a>'
        " (Draft)</dd>"
    )


def test_rejecting_a_published_session_from_the_submission_page_explains_in_french(client):
    call = CallFactory()
    submission = SubmissionFactory(call=call, title="Prison conditions")
    decide_submissions(call=call, submission_ids=[submission.pk], decision="accepted")
    Session.objects.update(status=Session.Status.PUBLISHED)
    client.force_login(_organiser(call))

    response = client.post(
        f"/fr/congresses/{call.congress.slug}/cfp/{call.slug}/decide/",
        {"decision": "rejected", "submissions": [submission.pk], "from": "submission"},
        follow=True,
    )

    submission.refresh_from_db()
    # \u2019 is the French typographic apostrophe of the catalogue.
    assert [str(message) for message in response.context["messages"]] == [
        "La session « Prison conditions » est publiée dans le programme ou d\u2019autres données "
        "en dépendent (inscriptions, point de contrôle) : la décision n\u2019a pas été "
        "modifiée. Annulez d\u2019abord la session dans le programme, puis décidez à nouveau."
    ]
    assert (submission.status, Session.objects.get().status) == ("accepted", "published")
