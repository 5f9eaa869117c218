"""The team page: invitations by e-mail, the one-time link, revoking roles."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from cfp.services import assign_reviewers_automatically
from common.tokens import hash_token
from congress.models import AuditEvent, CongressRole, TeamInvitation
from congress.team import invite_to_team
from tests.factories.cfp import CallFactory, SubmissionFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db
Role = CongressRole.Role
PASSWORD = "a long and unusual passphrase 42"


def team_url(congress) -> str:
    return f"/en/congresses/{congress.slug}/manage/team/"


def roles_of(user, congress) -> list[str]:
    return sorted(
        CongressRole.objects.filter(user=user, congress=congress).values_list("role", flat=True)
    )


def link_from(message) -> str:
    (link,) = re.findall(r"http://testserver(/\S+)", message.body)
    return link


def invite(client, congress, email="new@example.org", roles=(Role.ORGANISER,)):
    return client.post(team_url(congress), {"email": email, "roles": list(roles), "language": "en"})


def test_invitation_is_mailed_with_a_one_time_link_whose_hash_only_is_stored(
    client, congress, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, congress, roles=(Role.REVIEWER, Role.CHECKIN_STAFF))

    invitation = TeamInvitation.objects.get()
    (message,) = mail.outbox
    token = link_from(message).rstrip("/").rsplit("/", 1)[1]
    assert response.status_code == 302
    assert (invitation.email, invitation.roles) == (
        "new@example.org",
        [Role.REVIEWER, Role.CHECKIN_STAFF],
    )
    assert invitation.token_hash == hash_token(token)
    assert token not in str(TeamInvitation.objects.values_list())
    assert message.to == ["new@example.org"]
    assert message.subject == f"You are invited to the team of {congress.name}"


def test_accepting_creates_the_account_grants_the_roles_and_lands_on_the_dashboard(
    client, congress, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, congress, roles=(Role.ORGANISER, Role.VISA_OFFICER))
    client.logout()

    client.get(link_from(mail.outbox[0]), follow=True)
    response = client.post("/en/team/invitation/", {"password1": PASSWORD, "password2": PASSWORD})

    user = get_user_model().objects.get(email="new@example.org")
    assert response.url == f"/en/congresses/{congress.slug}/manage/"
    assert roles_of(user, congress) == [Role.ORGANISER, Role.VISA_OFFICER]
    assert user.check_password(PASSWORD)
    assert client.get(response.url, follow=True).status_code == 200
    assert list(
        AuditEvent.objects.filter(action="role.granted", detail__user_id=user.pk)
        .order_by("id")
        .values_list("detail__role", flat=True)
    ) == [Role.ORGANISER, Role.VISA_OFFICER]


def test_the_link_works_once(client, congress, organiser):
    _invitation, token = invite_to_team(
        congress=congress,
        email="a@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    client.get(f"/en/team/invitation/{token}/")
    client.post("/en/team/invitation/", {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    client.get(f"/en/team/invitation/{token}/")
    response = client.get("/en/team/invitation/")

    assert response.status_code == 410
    assert response.context["error"] == (
        "This invitation link is not valid any more: it was used, cancelled or has expired. "
        "Ask the organiser for a new one."
    )


def test_an_expired_link_is_refused(client, congress, organiser):
    _invitation, token = invite_to_team(
        congress=congress,
        email="a@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=15)):
        client.get(f"/en/team/invitation/{token}/")
        response = client.get("/en/team/invitation/")

    assert response.status_code == 410
    assert get_user_model().objects.filter(email="a@example.org").exists() is False


def test_mismatched_passwords_are_refused_with_a_message(client, congress, organiser):
    _invitation, token = invite_to_team(
        congress=congress,
        email="a@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    client.get(f"/en/team/invitation/{token}/", follow=True)

    response = client.post(
        "/en/team/invitation/", {"password1": PASSWORD, "password2": PASSWORD + "x"}
    )

    assert response.context["form"].errors == {"password2": ["The two passwords differ."]}
    assert get_user_model().objects.filter(email="a@example.org").exists() is False


def test_an_existing_account_signs_in_and_accepting_adds_the_roles(client, congress, organiser):
    existing = UserFactory(email="known@example.org")
    CongressRoleFactory(user=existing, role=Role.CHECKIN_STAFF)  # another congress
    _invitation, token = invite_to_team(
        congress=congress,
        email="Known@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    client.get(f"/en/team/invitation/{token}/", follow=True)
    before_login = client.get("/en/team/invitation/", follow=True)
    client.force_login(existing)

    response = client.post("/en/team/invitation/")

    assert before_login.context["needs_login"] is True
    assert response.status_code == 302
    assert roles_of(existing, congress) == [Role.REVIEWER]
    assert get_user_model().objects.filter(email__iexact="known@example.org").count() == 1


def test_another_signed_in_account_cannot_take_the_invitation(client, congress, organiser):
    _invitation, token = invite_to_team(
        congress=congress,
        email="a@example.org",
        roles=[Role.ORGANISER],
        language="en",
        invited_by=organiser,
    )
    intruder = UserFactory(email="intruder@example.org")
    client.force_login(intruder)
    client.get(f"/en/team/invitation/{token}/")

    client.post("/en/team/invitation/")

    assert roles_of(intruder, congress) == []
    assert TeamInvitation.objects.get().accepted_at is None


def test_inviting_a_reviewer_makes_them_assignable_at_once(client, congress, organiser):
    call = CallFactory(congress=congress, reviews_per_submission=1)
    SubmissionFactory(call=call)
    _invitation, token = invite_to_team(
        congress=congress,
        email="r@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    client.get(f"/en/team/invitation/{token}/", follow=True)
    client.post("/en/team/invitation/", {"password1": PASSWORD, "password2": PASSWORD})

    created = assign_reviewers_automatically(call=call)

    reviewer = get_user_model().objects.get(email="r@example.org")
    assert [assignment.reviewer_id for assignment in created] == [reviewer.pk]


def test_organiser_adds_reviewers_and_door_staff_from_the_team_page(
    client, congress, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        invite(client, congress, email="door@example.org", roles=(Role.CHECKIN_STAFF,))
    page = client.get(team_url(congress))

    assert [(i.email, i.role_labels) for i in page.context["invitations"]] == [
        ("door@example.org", ["Check-in staff"])
    ]


def test_bad_input_shows_translated_errors_and_keeps_what_was_typed(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/manage/team/",
        {"email": "pas-une-adresse", "language": "fr"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Saisissez une adresse e-mail valide."],
        "roles": ["Ce champ est obligatoire."],
    }
    assert 'value="pas-une-adresse"' in response.content.decode()
    assert TeamInvitation.objects.count() == 0


def test_revoking_a_role_removes_it_and_is_audited(client, congress, organiser):
    door = CongressRoleFactory(congress=congress, role=Role.CHECKIN_STAFF).user
    client.force_login(organiser)

    client.post(f"{team_url(congress)}{door.pk}/checkin_staff/remove/")

    assert roles_of(door, congress) == []
    event = AuditEvent.objects.get(action="role.revoked")
    assert (event.actor, event.detail) == (organiser, {"role": "checkin_staff", "user_id": door.pk})


def test_the_last_organiser_cannot_be_removed(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(f"{team_url(congress)}{organiser.pk}/organiser/remove/", follow=True)

    assert roles_of(organiser, congress) == [Role.ORGANISER]
    assert [str(m) for m in response.context["messages"]] == [
        "A congress keeps at least one organiser: invite another one first."
    ]


def test_cancelled_invitation_link_stops_working(client, congress, organiser):
    invitation, token = invite_to_team(
        congress=congress,
        email="a@example.org",
        roles=[Role.REVIEWER],
        language="en",
        invited_by=organiser,
    )
    client.force_login(organiser)
    client.post(f"{team_url(congress)}invitations/{invitation.pk}/cancel/")
    client.logout()

    client.get(f"/en/team/invitation/{token}/")
    response = client.get("/en/team/invitation/")

    assert response.status_code == 410


@pytest.mark.parametrize("role", [None, Role.REVIEWER, Role.CHECKIN_STAFF])
def test_team_page_is_for_the_congress_organisers_only(client, congress, other_congress, role):
    user = (
        CongressRoleFactory(congress=other_congress).user
        if role is None
        else CongressRoleFactory(congress=congress, role=role).user
    )
    client.force_login(user)

    response = client.get(team_url(congress))

    assert response.status_code == 404


def test_an_organiser_cannot_revoke_roles_in_another_congress(client, congress, other_congress):
    foreign = CongressRoleFactory(congress=other_congress, role=Role.REVIEWER).user
    client.force_login(CongressRoleFactory(congress=congress).user)

    response = client.post(f"{team_url(other_congress)}{foreign.pk}/reviewer/remove/")

    assert response.status_code == 404
    assert roles_of(foreign, other_congress) == [Role.REVIEWER]


@pytest.mark.parametrize("rows", [1, 5])
def test_team_page_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, rows
):
    for number in range(rows):
        CongressRoleFactory(congress=congress, role=Role.REVIEWER)
        invite_to_team(
            congress=congress,
            email=f"p{number}@example.org",
            roles=[Role.REVIEWER],
            language="en",
            invited_by=organiser,
        )
    client.force_login(organiser)

    with django_assert_num_queries(QUERIES):
        response = client.get(team_url(congress))

    assert len(response.context["members"]) == rows + 1
    assert len(response.context["invitations"]) == rows


# Session, user, congress, roles, the menu (the user's roles, read once), the members and
# invitations (one query each), the audit row.
QUERIES = 8
