"""Reviewers invited through the call's admin inline are assignable (issue 12's bug: they
never got the reviewer role, so the automatic assignment made 0 assignments)."""

from html.parser import HTMLParser

import pytest

from cfp.models import ReviewerInvitation
from cfp.services import assign_reviewers_automatically
from congress.models import CongressRole
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values a browser would submit for the admin's change form."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "button"):
            if attributes.get("type") == "checkbox" and "checked" not in attributes:
                return
            self.values.append((name, attributes.get("value") or ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values.append((self._select, attributes.get("value") or ""))
        elif tag == "textarea":
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, text = self.values.pop()
            self.values.append((name, text + data))


def test_reviewer_added_through_the_admin_inline_is_assigned_automatically(client):
    call = CallFactory(reviews_per_submission=1)
    SubmissionFactory(call=call)
    reviewer = UserFactory()
    operator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(operator)
    url = f"/en/admin/cfp/callforparticipation/{call.pk}/change/"
    parser = _FormValues()
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    prefix = "reviewer_invitations"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": ["1"],
            f"{prefix}-0-reviewer": [str(reviewer.pk)],
            f"{prefix}-0-call": [str(call.pk)],
        }
    )

    response = client.post(url, data)
    created = assign_reviewers_automatically(call=call)

    assert response.status_code == 302
    assert list(ReviewerInvitation.objects.values_list("reviewer", flat=True)) == [reviewer.pk]
    assert list(
        CongressRole.objects.filter(congress=call.congress, user=reviewer).values_list(
            "role", flat=True
        )
    ) == [CongressRole.Role.REVIEWER]
    assert [assignment.reviewer_id for assignment in created] == [reviewer.pk]
