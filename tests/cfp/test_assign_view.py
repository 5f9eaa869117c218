"""The "Assign reviewers automatically" button reports how many assignments were made, in
words that agree with the number (it said "1 review assignments were made.")."""

import pytest
from django.urls import reverse
from django.utils import translation

from cfp.services import invite_reviewer
from congress.models import CongressRole
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "proposals", "expected"),
    [
        ("en", 1, "1 review assignment was made."),
        ("en", 2, "2 review assignments were made."),
        ("fr", 1, "1 attribution d'évaluation a été faite."),
        ("ar", 2, "تم إسناد مهمتي تقييم (2)."),
    ],
)
def test_automatic_assignment_reports_the_count_in_agreeing_words(
    client, language, proposals, expected
):
    call = CallFactory(reviews_per_submission=1)
    organiser = CongressRoleFactory(congress=call.congress, role=CongressRole.Role.ORGANISER).user
    invite_reviewer(call=call, reviewer=UserFactory())
    for _ in range(proposals):
        SubmissionFactory(call=call)
    client.force_login(organiser)

    with translation.override(language):
        url = reverse("cfp:assign", args=[call.congress.slug, call.slug])

    response = client.post(url, follow=True)

    assert [str(message) for message in response.context["messages"]] == [expected]
