"""The congress's own settings pages: general settings and tracks."""

import pytest

from congress.models import AuditEvent, CongressRole, Track
from tests.backoffice_html import errors, input_value, table_rows
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory

pytestmark = pytest.mark.django_db


def settings_data(**extra):
    data = {
        "name_en": "World Congress 2029",
        "name_fr": "Congrès mondial 2029",
        "name_ar": "المؤتمر العالمي 2029",
        "description_en": "",
        "description_fr": "",
        "description_ar": "",
        "starts_on": "2029-06-12",
        "ends_on": "2029-06-15",
        "venue_name": "CICG",
        "venue_address": "17 rue de Varembé",
        "city": "Geneva",
        "country": "CH",
        "timezone": "Europe/Zurich",
        "currency": "CHF",
        "working_languages": ["en", "fr", "ar"],
    }
    return {**data, **extra}


def test_general_settings_saves_translations_venue_zone_and_currency(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(f"/en/congresses/{congress.slug}/manage/settings/", settings_data())

    congress.refresh_from_db()
    assert response.status_code == 302
    assert (congress.name, congress.name_translations) == (
        "World Congress 2029",
        {"en": "World Congress 2029", "fr": "Congrès mondial 2029", "ar": "المؤتمر العالمي 2029"},
    )
    assert (congress.timezone, congress.currency, congress.working_languages) == (
        "Europe/Zurich",
        "CHF",
        ["en", "fr", "ar"],
    )
    assert (congress.venue.name, congress.venue.address, congress.venue.city) == (
        "CICG",
        "17 rue de Varembé",
        "Geneva",
    )
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["congress.settings_saved"]


def test_general_settings_end_before_start_is_refused_and_keeps_the_input(
    client, congress, organiser
):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/settings/",
        settings_data(ends_on="2029-06-01"),
    )

    assert response.status_code == 200
    assert errors(response) == ["The congress cannot end before it starts."]
    assert input_value(response, "name_fr") == "Congrès mondial 2029"


def test_general_settings_unknown_time_zone_is_refused(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/settings/", settings_data(timezone="Mars/Base")
    )

    assert errors(response) == [
        "Select a valid choice. Mars/Base is not one of the available choices."
    ]


def test_general_settings_in_french_shows_french_errors(client, congress, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/fr/congresses/{congress.slug}/manage/settings/", settings_data(name_en="")
    )

    assert errors(response) == ["Saisissez au moins le texte en Anglais."]


@pytest.mark.parametrize(
    "role", [CongressRole.Role.REVIEWER, CongressRole.Role.CHECKIN_STAFF, "other_organiser"]
)
def test_settings_pages_are_hidden_from_non_organisers(client, congress, role):
    if role == "other_organiser":
        user = CongressRoleFactory(congress=CongressFactory()).user
    else:
        user = CongressRoleFactory(congress=congress, role=role).user
    client.force_login(user)

    pages = [
        client.get(f"/en/congresses/{congress.slug}/manage/settings/").status_code,
        client.get(f"/en/congresses/{congress.slug}/manage/tracks/").status_code,
    ]

    assert pages == [404, 404]


def test_add_a_track_stores_translations_colour_and_a_code(client, congress, organiser):
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/tracks/add/",
        {
            "name_en": "Drug policy",
            "name_fr": "Politique des drogues",
            "name_ar": "سياسة المخدرات",
            "description_en": "",
            "description_fr": "",
            "description_ar": "",
            "theme": "drug_policy",
            "colour": "#aa3300",
        },
    )

    track = Track.objects.get(congress=congress)
    assert (track.slug, track.name, track.colour, track.position) == (
        "drug-policy",
        "Drug policy",
        "#aa3300",
        0,
    )
    assert track.name_translations == {
        "en": "Drug policy",
        "fr": "Politique des drogues",
        "ar": "سياسة المخدرات",
    }


def test_track_list_shows_names_in_the_reader_language(client, congress, organiser):
    TrackFactory(
        congress=congress, name="Media", name_translations={"fr": "Médias"}, colour="#112233"
    )
    client.force_login(organiser)

    response = client.get(f"/fr/congresses/{congress.slug}/manage/tracks/")

    assert table_rows(response, "settings-table") == [
        ["⠿", "Médias", "Politique en matière de drogues", "", "Modifier · Supprimer"]
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_track_list_query_count_is_flat(
    client, congress, organiser, django_assert_num_queries, count
):
    TrackFactory.create_batch(count, congress=congress)
    TrackFactory(congress=CongressFactory())
    client.force_login(organiser)

    with django_assert_num_queries(30):
        response = client.get(f"/en/congresses/{congress.slug}/manage/tracks/")

    assert len(table_rows(response, "settings-table")) == count


def test_reorder_tracks_by_drag_and_drop(client, congress, organiser):
    first, second, third = TrackFactory.create_batch(3, congress=congress)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/tracks/order/",
        {"item": [third.pk, first.pk, second.pk]},
        headers={"HX-Request": "true"},
    )

    assert list(
        Track.objects.filter(congress=congress).order_by("position").values_list("pk", flat=True)
    ) == [third.pk, first.pk, second.pk]


def test_reorder_with_another_congress_track_changes_nothing(client, congress, organiser):
    mine = TrackFactory(congress=congress, position=0)
    foreign = TrackFactory(congress=CongressFactory(), position=0)
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{congress.slug}/manage/tracks/order/",
        {"item": [foreign.pk, mine.pk]},
        headers={"HX-Request": "true"},
    )

    assert (response.status_code, response.content.decode()) == (
        400,
        "This choice does not belong to this congress.",
    )
    foreign.refresh_from_db()
    assert foreign.position == 0


def test_editing_another_congress_track_is_404(client, congress, organiser):
    foreign = TrackFactory(congress=CongressFactory())
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/manage/tracks/{foreign.pk}/")

    assert response.status_code == 404


def test_delete_track_used_by_a_call_is_allowed_and_unused_one_is_gone(client, congress, organiser):
    track = TrackFactory(congress=congress)
    client.force_login(organiser)

    client.post(f"/en/congresses/{congress.slug}/manage/tracks/{track.pk}/delete/")

    assert list(Track.objects.filter(congress=congress)) == []


def test_venue_shared_with_a_cloned_edition_is_copied_not_changed(client, congress, organiser):
    from congress.models import Venue

    venue = Venue.objects.create(name="CICG", city="Geneva", country="CH")
    previous = CongressFactory(venue=venue)
    congress.venue = venue
    congress.save()
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{congress.slug}/manage/settings/",
        settings_data(venue_name="Palais des Nations"),
    )

    congress.refresh_from_db()
    previous.refresh_from_db()
    assert (previous.venue.name, congress.venue.name) == ("CICG", "Palais des Nations")
