import pytest
import time_machine
from django.core import mail

from cfp.models import Submission
from cfp.services import assign_reviewer, invite_reviewer
from congress.models import CongressRole
from tests.factories.cfp import DURING_CALL, CallFactory, ReviewFactory, SubmissionFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    payload = {
        "submitter": {"name": "Sara Shah", "email": "sara@example.org", "country": "PK"},
        "submission_type": "talk",
        "language": "en",
        "title": "Drug offences",
        "abstract": "Ten years of case files.",
        "co_authors": [{"name": "Rahim Chowdhury", "email": "rahim@example.org"}],
    }
    payload.update(overrides)
    return payload


def test_post_submission_while_open_answers_201_with_private_link(
    api_client, django_capture_on_commit_callbacks
):
    call = CallFactory()

    with (
        time_machine.travel(DURING_CALL, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_client.post(
            f"/api/v1/congresses/{call.congress.slug}/submissions/", _payload(), format="json"
        )

    body = response.json()
    submission = Submission.objects.get()
    assert response.status_code == 201
    assert body["id"] == submission.pk
    assert body["status"] == "submitted"
    assert body["private_link"].startswith("http://127.0.0.1:8000/en/cfp/submission/")
    assert [link.person.name for link in submission.co_authors.all()] == ["Rahim Chowdhury"]
    assert len(mail.outbox) == 1


def test_post_submission_after_close_is_refused_with_code(api_client):
    call = CallFactory()

    with time_machine.travel(call.closes_at, tick=False):
        response = api_client.post(
            f"/api/v1/congresses/{call.congress.slug}/submissions/", _payload(), format="json"
        )

    assert response.status_code == 409
    assert response.json()["code"] == "call_closed"
    assert Submission.objects.count() == 0


def test_post_submission_with_invalid_fields_answers_field_errors(api_client):
    call = CallFactory(word_limit=2)

    with time_machine.travel(DURING_CALL, tick=False):
        response = api_client.post(
            f"/api/v1/congresses/{call.congress.slug}/submissions/",
            _payload(language="es", abstract="one two three"),
            format="json",
        )

    assert response.status_code == 400
    assert response.json() == {
        "abstract": ["The abstract has 3 words; the limit is 2."],
        "language": ["Choose one of the languages of this call."],
    }


def test_list_submissions_anonymous_is_refused(api_client):
    call = CallFactory()
    SubmissionFactory(call=call)

    response = api_client.get(f"/api/v1/congresses/{call.congress.slug}/submissions/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_list_submissions_for_organiser_shows_all_without_contact_data(token_client):
    call = CallFactory()
    SubmissionFactory(call=call, title="One", submitter__email="one@example.org")
    SubmissionFactory(call=call, title="Two")
    SubmissionFactory(title="Other congress")
    organiser = CongressRoleFactory(congress=call.congress).user

    response = token_client(organiser).get(f"/api/v1/congresses/{call.congress.slug}/submissions/")

    results = response.json()["results"]
    assert [row["title"] for row in results] == ["One", "Two"]
    assert "one@example.org" not in response.content.decode()


def test_list_submissions_for_reviewer_shows_only_assigned_and_anonymised(token_client):
    call = CallFactory(is_anonymised=True)
    organisation = OrganisationFactory(name="KHRC")
    mine = SubmissionFactory(
        call=call, title="Mine", organisation=organisation, submitter=PersonFactory(name="Wanjiru")
    )
    SubmissionFactory(call=call, title="Not mine")
    reviewer = UserFactory()
    invite_reviewer(call=call, reviewer=reviewer)
    assign_reviewer(submission=mine, reviewer=reviewer)

    response = token_client(reviewer).get(f"/api/v1/congresses/{call.congress.slug}/submissions/")

    (row,) = response.json()["results"]
    assert (row["title"], row["submitter"], row["organisation"]) == ("Mine", None, None)


@pytest.mark.parametrize("count", [1, 5])
def test_list_submissions_query_count_is_flat(token_client, django_assert_num_queries, count):
    call = CallFactory()
    for submission in SubmissionFactory.create_batch(count, call=call):
        submission.co_authors.create(person=PersonFactory())
    organiser = CongressRoleFactory(congress=call.congress).user
    client = token_client(organiser)

    # token+user, congress, 3 role checks (permission, serializer, queryset), count, page,
    # co-author links, their people, the audit row
    with django_assert_num_queries(10):
        response = client.get(f"/api/v1/congresses/{call.congress.slug}/submissions/")

    assert len(response.json()["results"]) == count


def test_list_reviews_for_organiser_only(token_client):
    call = CallFactory()
    submission = SubmissionFactory(call=call)
    ReviewFactory(submission=submission, reviewer=UserFactory(username="rev1"), score=4)
    organiser = CongressRoleFactory(congress=call.congress).user
    reviewer = CongressRoleFactory(congress=call.congress, role=CongressRole.Role.REVIEWER).user
    url = f"/api/v1/congresses/{call.congress.slug}/reviews/"

    organiser_response = token_client(organiser).get(url)
    reviewer_response = token_client(reviewer).get(url)

    assert [(r["reviewer"], r["score"]) for r in organiser_response.json()["results"]] == [
        ("rev1", 4)
    ]
    assert reviewer_response.status_code == 403


@pytest.mark.parametrize("count", [1, 5])
def test_list_reviews_query_count_is_flat(token_client, django_assert_num_queries, count):
    call = CallFactory()
    for _index in range(count):
        ReviewFactory(submission=SubmissionFactory(call=call), reviewer=UserFactory())
    client = token_client(CongressRoleFactory(congress=call.congress).user)

    with django_assert_num_queries(5):  # token+user, congress, role, count, page
        response = client.get(f"/api/v1/congresses/{call.congress.slug}/reviews/")

    assert len(response.json()["results"]) == count


def test_api_schema_documents_submission_endpoints(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert set(paths["/api/v1/congresses/{slug}/submissions/"]) >= {"get", "post"}
    assert "/api/v1/congresses/{slug}/reviews/" in paths
