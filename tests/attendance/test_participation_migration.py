"""The data migration that points participation records at congresses instead of editions."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

migration = importlib.import_module(
    "attendance.migrations.0003_match_participation_records_to_congresses"
)

BEFORE = [
    ("attendance", "0002_add_participation_congress"),
    ("members", "0004_move_erasure_and_participation"),
]
AFTER = [("attendance", "0003_match_participation_records_to_congresses")]


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2027, 7, day, 12, tzinfo=datetime.UTC)


JUNE_15 = datetime.date(2027, 6, 15)


def congress(pk, slug, name="World", starts_on=JUNE_15, closed_at=None):
    return {"id": pk, "slug": slug, "name": name, "starts_on": starts_on, "closed_at": closed_at}


def edition(pk, slug, name="World", starts_on=JUNE_15, closed_at=None):
    closed_at = closed_at or at(1)
    return {"id": pk, "slug": slug, "name": name, "starts_on": starts_on, "closed_at": closed_at}


def test_match_editions_by_slug_then_name_and_start_then_closing_time():
    congresses = [
        congress(1, "world-2027", closed_at=at(9)),
        congress(2, "asia-2027", name="Asia", starts_on=datetime.date(2027, 3, 1)),
        congress(3, "europe", name="Europe", starts_on=datetime.date(2027, 9, 1), closed_at=at(5)),
    ]
    editions = [
        edition(10, "world-2027"),  # slug
        edition(11, "world-congress", closed_at=at(9)),  # renamed slug: name + start
        edition(12, "asia", name="Asia", starts_on=datetime.date(2027, 3, 1)),  # name + start
        edition(13, "eu", name="Europe 2027", starts_on=datetime.date(2027, 8, 1), closed_at=at(5)),
        edition(14, "gone", name="Gone", starts_on=datetime.date(2016, 6, 1)),  # no congress
    ]

    assert migration.match_editions(editions, congresses) == {
        10: 1,
        11: 1,
        12: 2,
        13: 3,
        14: None,
    }


def test_a_reused_slug_does_not_match_another_congress():
    congresses = [
        congress(1, "world", name="World 2030", starts_on=datetime.date(2030, 6, 1)),
        congress(2, "world-2027-renamed", name="World 2027"),
    ]

    assert migration.match_editions([edition(10, "world", name="World 2027")], congresses) == {
        10: 2
    }


def test_ambiguous_name_and_start_match_nothing():
    congresses = [congress(1, "a"), congress(2, "b")]

    assert migration.match_editions([edition(10, "c")], congresses) == {10: None}


def test_keep_latest_keeps_the_edition_closed_last_per_congress():
    editions = [edition(10, "old", closed_at=at(1)), edition(11, "new", closed_at=at(2))]

    kept = migration.keep_latest(editions, {10: 1, 11: 1})

    assert {congress_id: row["id"] for congress_id, row in kept.items()} == {1: 11}


@pytest.fixture
def migrator(transactional_db):
    """Runs the migrations between BEFORE and AFTER, then brings the schema back up to date."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()  # the executor does not refresh what it applied
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_migration_moves_records_to_congresses_and_collapses_duplicates(migrator, capsys):
    apps = migrator.loader.project_state(BEFORE).apps
    Network = apps.get_model("members", "Network")
    Organisation = apps.get_model("members", "Organisation")
    Congress = apps.get_model("congress", "Congress")
    CongressEdition = apps.get_model("members", "CongressEdition")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    network = Network.objects.create(name="Coalition", slug="coalition")
    member, visitor = (Organisation.objects.create(name=name) for name in ("Member", "Visitor"))
    world = Congress.objects.create(
        slug="world-2027-strasbourg",
        name="World 2027",
        kind="world",
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        city="Strasbourg",
        country="FR",
        network=network,
    )
    AttendanceClosure.objects.create(congress=world, closed_at=at(2), times_closed=2)
    Congress.objects.create(
        slug="asia-2027",
        name="Asia 2027",
        kind="regional",
        starts_on=datetime.date(2027, 3, 10),
        ends_on=datetime.date(2027, 3, 11),
        city="Kuala Lumpur",
        country="MY",
    )
    fields = {"network": network, "ends_on": datetime.date(2027, 6, 17)}
    # Bug 6: closed as "world-2027", renamed, closed again as "world-2027-strasbourg".
    first = CongressEdition.objects.create(
        slug="world-2027",
        name="World 2027",
        starts_on=datetime.date(2027, 6, 15),
        member_count=3,
        closed_at=at(1),
        **fields,
    )
    second = CongressEdition.objects.create(
        slug="world-2027-strasbourg",
        name="World 2027",
        starts_on=datetime.date(2027, 6, 15),
        member_count=4,
        closed_at=at(2),
        **fields,
    )
    orphan = CongressEdition.objects.create(
        slug="world-2016",
        name="World 2016",
        starts_on=datetime.date(2016, 6, 10),
        member_count=5,
        closed_at=at(3),
        **fields,
    )
    asia_edition = CongressEdition.objects.create(
        slug="asia-2027",
        name="Asia 2027",
        starts_on=datetime.date(2027, 3, 10),
        member_count=0,
        closed_at=at(4),
        ends_on=datetime.date(2027, 3, 11),
    )
    for row, organisation, present in (
        (asia_edition, visitor, 1),
        (first, member, 1),
        (first, visitor, 1),
        (second, member, 2),
        (second, visitor, 1),
        (orphan, member, 1),
    ):
        ParticipationRecord.objects.create(
            edition=row, organisation=organisation, delegates_present=present
        )

    migrator.migrate(AFTER)

    apps = migrator.loader.project_state(AFTER).apps
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    assert sorted(
        ParticipationRecord.objects.values_list(
            "congress__slug", "edition__slug", "organisation__name", "delegates_present"
        )
    ) == [
        ("asia-2027", "asia-2027", "Visitor", 1),
        ("world-2027-strasbourg", "world-2027-strasbourg", "Member", 2),
        ("world-2027-strasbourg", "world-2027-strasbourg", "Visitor", 1),
    ]
    assert sorted(
        AttendanceClosure.objects.values_list(
            "congress__slug", "closed_at", "member_count", "times_closed"
        )
    ) == [("asia-2027", at(4), 0, 1), ("world-2027-strasbourg", at(2), 4, 2)]
    assert capsys.readouterr().out.splitlines()[-4:] == [
        "",
        "  attendance 0003: edition 'world-2027' is an older copy of congress "
        f"#{world.pk} (closed again after a slug change): 2 participation record(s) deleted, "
        "those of its latest closing kept.",
        "",
        "  attendance 0003: edition 'world-2016' (World 2016, starting 2016-06-10) matches no "
        "congress: 1 participation record(s) deleted. Closing the congress again "
        "(close_congress SLUG) writes them anew; on a demo database, `manage.py demo` does.",
    ]


def test_migration_back_makes_one_edition_per_congress(migrator):
    migrator.migrate(AFTER)
    migrator.loader.build_graph()
    apps = migrator.loader.project_state(AFTER).apps
    Network = apps.get_model("members", "Network")
    Organisation = apps.get_model("members", "Organisation")
    Congress = apps.get_model("congress", "Congress")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    network = Network.objects.create(name="Coalition", slug="coalition")
    world = Congress.objects.create(
        slug="world-2027",
        name="World 2027",
        kind="world",
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        city="Strasbourg",
        country="FR",
        network=network,
    )
    AttendanceClosure.objects.create(congress=world, closed_at=at(2), member_count=4)
    ParticipationRecord.objects.create(
        congress=world, organisation=Organisation.objects.create(name="Member")
    )

    migrator.migrate(BEFORE)

    apps = migrator.loader.project_state(BEFORE).apps
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    assert list(
        ParticipationRecord.objects.values_list(
            "edition__slug",
            "edition__name",
            "edition__network__slug",
            "edition__member_count",
            "edition__closed_at",
        )
    ) == [("world-2027", "World 2027", "coalition", 4, at(2))]
