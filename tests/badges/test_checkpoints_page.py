"""The organisers' doors page: the congress's checkpoints with their settings, adding the
entrance or a room's door, changing a door's settings (audited); and room doors at the
scanner API."""

import re

import pytest
from django.urls import reverse

from badges.models import CheckIn, Checkpoint
from congress.models import AuditEvent, CongressRole
from tests.factories.attendance import SessionCheckpointFactory
from tests.factories.badges import CheckpointFactory, CredentialFactory, RoomCheckpointFactory
from tests.factories.congress import CongressRoleFactory
from tests.factories.sessions import RoomFactory

pytestmark = pytest.mark.django_db


def _url(name, congress, **kwargs):
    return reverse(f"badges:{name}", kwargs={"slug": congress.slug, **kwargs})


def _rows(html: str) -> list[list[str]]:
    table = html[html.index('<table id="checkpoints">') : html.index("</table>")]
    body = table[table.index("<tbody>") :]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr id=\"checkpoint-\d+\">(.*?)</tr>", body, re.S)
    ]


def test_checkpoint_list_shows_every_door_with_its_settings(client, congress, organiser):
    CheckpointFactory(congress=congress, offline_list_shows_names=True)
    RoomCheckpointFactory(congress=congress, room__name="Plenary hall", is_active=False)
    SessionCheckpointFactory(congress=congress, session__title="Drug policy workshop")
    CheckpointFactory(congress=RoomFactory().congress)  # another congress's entrance
    client.force_login(organiser)

    response = client.get(_url("checkpoints", congress))

    assert _rows(response.content.decode()) == [
        ["Congress entrance", "Congress entrance", "Yes", "Yes", "Yes", "Change Congress entrance"],
        ["Plenary hall", "Room door", "No", "Yes", "No", "Change Plenary hall"],
        [
            "Drug policy workshop",
            "Session door",
            "Yes",
            "Signed-up people only",
            "No",
            "Change Drug policy workshop",
        ],
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_checkpoint_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    for _ in range(count):
        RoomCheckpointFactory(congress=congress)
        SessionCheckpointFactory(congress=congress)
    client.force_login(organiser)

    # session, user, congress, role, checkpoints with sessions and rooms, the add form's
    # rooms without a door; the shell's menu reads the user's roles once: 7.
    with django_assert_num_queries(7):
        response = client.get(_url("checkpoints", congress))

    assert len(_rows(response.content.decode())) == 2 * count


def test_organiser_adds_a_room_door_chosen_from_the_rooms(client, congress, organiser):
    room = RoomFactory(congress=congress, name="Plenary hall")
    client.force_login(organiser)

    response = client.post(_url("checkpoints", congress), {"kind": "room", "room": room.pk})

    checkpoint = Checkpoint.objects.get(congress=congress)
    assert (response.status_code, checkpoint.kind, checkpoint.room, checkpoint.name) == (
        302,
        "room",
        room,
        "Plenary hall",
    )
    event = AuditEvent.objects.get(action="badges.checkpoint_added")
    assert (event.actor, event.detail) == (organiser, {"kind": "room", "room": room.pk})


def test_add_form_offers_only_this_congress_rooms_without_a_door(client, congress, organiser):
    RoomCheckpointFactory(congress=congress, room__name="Hall with a door")
    RoomFactory(congress=congress, name="Room without a door")
    RoomFactory(name="Another congress's room")
    client.force_login(organiser)

    html = client.get(_url("checkpoints", congress)).content.decode()

    start = html.index('<select name="room"')
    select = html[start : html.index("</select>", start)]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
        "Choose a room",
        "Room without a door",
    ]


def test_room_of_another_congress_is_refused_and_nothing_is_added(client, congress, organiser):
    foreign = RoomFactory()
    client.force_login(organiser)

    response = client.post(_url("checkpoints", congress), {"kind": "room", "room": foreign.pk})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "room": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Checkpoint.objects.exists() is False


def test_room_door_without_a_room_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(_url("checkpoints", congress), {"kind": "room", "room": ""})

    assert response.context["form"].errors == {"room": ["Choose the room whose door is scanned."]}


def test_second_entrance_is_refused(client, congress, organiser):
    CheckpointFactory(congress=congress)
    client.force_login(organiser)

    response = client.post(_url("checkpoints", congress), {"kind": "entrance"})

    assert response.context["form"].errors == {
        "kind": ["The congress has an entrance checkpoint already."]
    }
    assert Checkpoint.objects.filter(congress=congress).count() == 1


def test_organiser_adds_the_entrance(client, congress, organiser):
    client.force_login(organiser)

    client.post(_url("checkpoints", congress), {"kind": "entrance"})

    assert list(Checkpoint.objects.values_list("kind", "room")) == [("entrance", None)]


def test_organiser_turns_names_off_and_deactivates_a_room_door(client, congress, organiser):
    door = RoomCheckpointFactory(congress=congress, offline_list_shows_names=True)
    client.force_login(organiser)

    client.post(_url("checkpoint_edit", congress, pk=door.pk), {})

    door.refresh_from_db()
    assert (door.is_active, door.offline_list_shows_names) == (False, False)
    event = AuditEvent.objects.get(action="badges.checkpoint_changed")
    assert (event.actor, event.target_id, event.detail) == (
        organiser,
        str(door.pk),
        {"is_active": False, "offline_list_shows_names": False},
    )


def test_session_door_opens_to_all_and_keeps_following_its_session(client, congress, organiser):
    door = SessionCheckpointFactory(congress=congress)
    client.force_login(organiser)

    client.post(
        _url("checkpoint_edit", congress, pk=door.pk),
        {"is_open_to_all": "on", "is_active": ""},
    )

    door.refresh_from_db()
    assert (door.is_open_to_all, door.is_active) == (True, True)


def test_unchanged_settings_write_no_audit_row(client, congress, organiser):
    door = RoomCheckpointFactory(congress=congress)
    client.force_login(organiser)

    client.post(_url("checkpoint_edit", congress, pk=door.pk), {"is_active": "on"})

    assert AuditEvent.objects.filter(action="badges.checkpoint_changed").exists() is False


@pytest.mark.parametrize("role", ["other_organiser", "reviewer", "checkin_staff"])
def test_checkpoint_pages_are_not_found_for_anyone_but_organisers(
    client, congress, other_congress, role
):
    door = RoomCheckpointFactory(congress=congress)
    if role == "other_organiser":
        user = CongressRoleFactory(congress=other_congress, role=CongressRole.Role.ORGANISER).user
    else:
        user = CongressRoleFactory(congress=congress, role=role).user
    client.force_login(user)

    codes = [
        client.get(_url("checkpoints", congress)).status_code,
        client.post(_url("checkpoint_edit", congress, pk=door.pk), {}).status_code,
    ]

    assert codes == [404, 404]
    door.refresh_from_db()
    assert door.is_active is True


def test_other_congress_door_is_not_found_on_this_congress_page(
    client, congress, other_congress, organiser
):
    door = RoomCheckpointFactory(congress=other_congress)
    client.force_login(organiser)

    response = client.get(_url("checkpoint_edit", congress, pk=door.pk))

    assert response.status_code == 404


def test_menu_links_the_doors_page(client, congress, organiser):
    client.force_login(organiser)

    html = client.get(_url("templates", congress)).content.decode()

    assert re.findall(r'<a href="([^"]+)">Doors and checkpoints</a>', html) == [
        _url("checkpoints", congress)
    ]


def test_scanner_api_admits_a_badge_at_a_room_door(congress, checkin_staff, token_client):
    door = RoomCheckpointFactory(congress=congress, name="Plenary hall")
    credential = CredentialFactory(registration__congress=congress)

    response = token_client(checkin_staff).post(
        f"/api/v1/congresses/{congress.slug}/checkins/",
        {"token": credential.token, "checkpoint": door.pk},
        format="json",
    )

    body = response.json()
    assert (body["result"], body["checkpoint"], body["inside_now"]) == (
        "ok",
        {"id": door.pk, "name": "Plenary hall"},
        1,
    )
    assert list(CheckIn.objects.values_list("checkpoint", flat=True)) == [door.pk]


def test_scanner_checkpoint_list_names_the_room_of_a_room_door(
    congress, checkin_staff, token_client
):
    door = RoomCheckpointFactory(congress=congress)

    response = token_client(checkin_staff).get(f"/api/v1/congresses/{congress.slug}/checkpoints/")

    assert [(row["id"], row["kind"], row["room"]) for row in response.json()] == [
        (door.pk, "room", door.room_id)
    ]


def test_offline_list_of_a_room_door_admits_every_confirmed_badge(
    congress, checkin_staff, token_client
):
    door = RoomCheckpointFactory(congress=congress)
    CredentialFactory(registration__congress=congress)
    CredentialFactory(registration__congress=congress, registration__status="cancelled")

    response = token_client(checkin_staff).get(
        f"/api/v1/congresses/{congress.slug}/checkins/offline-list/?checkpoint={door.pk}"
    )

    assert sorted(entry["a"] for entry in response.json()["entries"]) == [False, True]


def test_checkpoint_list_in_french(client, congress, organiser):
    RoomCheckpointFactory(congress=congress, room__name="Salle plénière")
    client.force_login(organiser)

    response = client.get(f"/fr/congresses/{congress.slug}/manage/badges/checkpoints/")

    html = response.content.decode()
    assert re.findall(r"<h2>([^<]*)</h2>", html) == ["Ajouter une porte"]
    assert _rows(html) == [
        ["Salle plénière", "Porte de salle", "Oui", "Oui", "Non", "Modifier Salle plénière"]
    ]


def test_renaming_a_room_renames_its_door_for_the_scanner(congress):
    from badges.models import Checkpoint
    from badges.services.checkpoints import add_checkpoint
    from tests.factories.sessions import RoomFactory

    room = RoomFactory(congress=congress, name="Plenary hall")
    door = add_checkpoint(congress=congress, kind="room", room=room)

    room.name = "Salle Nelson Mandela"
    room.save()

    assert Checkpoint.objects.get(pk=door.pk).name == "Salle Nelson Mandela"
