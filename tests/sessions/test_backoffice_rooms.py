"""The programme's rooms page."""

import pytest

from sessions.models import Room
from tests.backoffice_html import errors, table_rows
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.sessions import RoomFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_add_room_with_name_per_language_and_capacity(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/",
        {"name_en": "Room A", "name_fr": "Salle A", "name_ar": "القاعة أ", "capacity": "80"},
    )

    room = Room.objects.get(congress=congress)
    assert (room.name, room.name_translations, room.capacity) == (
        "Room A",
        {"en": "Room A", "fr": "Salle A", "ar": "القاعة أ"},
        80,
    )


def test_room_name_used_twice_is_refused_with_a_message(client, congress, organiser):
    RoomFactory(congress=congress, name="Room A")
    RoomFactory(congress=CongressFactory(), name="Room B")
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/", {"name_en": "Room A", "capacity": "80"}
    )
    other = client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/", {"name_en": "Room B", "capacity": "10"}
    )

    assert errors(response) == ["Room with this Congress and Name already exists."]
    assert other.status_code == 302


def test_room_capacity_must_be_a_number(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/",
        {"name_en": "Room A", "capacity": "many"},
    )

    assert errors(response) == ["Enter a whole number."]


def test_room_list_in_arabic(client, congress, organiser):
    RoomFactory(congress=congress, name="Room A", name_translations={"ar": "القاعة أ"}, capacity=80)
    client.force_login(organiser)

    response = client.get(f"/ar/congresses/{congress.slug}/manage/rooms/")

    assert table_rows(response, "settings-table")[0][1:3] == ["القاعة أ", "80"]


def test_room_with_sessions_cannot_be_deleted(client, congress, organiser):
    room = RoomFactory(congress=congress, name="Room A")
    SessionFactory(congress=congress, room=room)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/{room.pk}/delete/", follow=True
    )

    assert Room.objects.filter(pk=room.pk).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "Room A cannot be deleted: registrations, sessions or other records still use it."
    ]


def test_rooms_page_is_404_for_another_congress_organiser(client, congress):
    client.force_login(CongressRoleFactory(congress=CongressFactory()).user)

    response = client.get(f"/en/congresses/{congress.slug}/manage/rooms/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_room_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    RoomFactory.create_batch(count, congress=congress)
    client.force_login(organiser)

    with django_assert_num_queries(6):
        response = client.get(f"/en/congresses/{congress.slug}/manage/rooms/")

    assert len(table_rows(response, "settings-table")) == count


def test_room_channels_are_saved_and_shown_on_its_sessions(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/",
        {"name_en": "Plenary hall", "capacity": "300", "channel_ar": "3", "channel_fr": "1"},
    )
    room = Room.objects.get(congress=congress)
    session = SessionFactory(congress=congress, room=room)
    page = client.get(
        f"/en/congresses/{congress.slug}/programme/sessions/{session.pk}/"
    ).content.decode()

    assert list(room.interpretation_channels.values_list("language", "channel")) == [
        ("fr", 1),
        ("ar", 3),
    ]
    assert page.split('<dd data-test="channels">')[1].split("</dd>")[0] == (
        "French: channel 1 · Arabic: channel 3"
    )


def test_room_channel_number_used_twice_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/rooms/add/",
        {"name_en": "Plenary hall", "capacity": "300", "channel_fr": "2", "channel_ar": "2"},
    )

    assert errors(response) == ["Channel 2 is given twice: one language per channel."]
    assert Room.objects.count() == 0
