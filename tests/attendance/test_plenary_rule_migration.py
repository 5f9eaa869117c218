"""The data migration from the "plenaries count for everyone present at the entrance" box to
the plenary rule, both ways."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("attendance", "0009_checkpoints_plenary_rule")]
AFTER = [("attendance", "0010_checkpoints_plenary_rule_from_boolean")]


@pytest.fixture
def migrator(transactional_db):
    """Runs the migrations back to BEFORE, then brings the schema back up to date."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _closures(apps, boxes: dict[str, bool]) -> None:
    Congress = apps.get_model("congress", "Congress")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    for slug, ticked in boxes.items():
        congress = Congress.objects.create(
            slug=slug,
            name=slug,
            kind="world",
            starts_on=datetime.date(2027, 6, 15),
            ends_on=datetime.date(2027, 6, 17),
            city="Strasbourg",
            country="FR",
        )
        AttendanceClosure.objects.create(congress=congress, plenaries_from_entrance=ticked)


def _rules(apps) -> dict[str, tuple]:
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    return {
        slug: (rule, box)
        for slug, rule, box in AttendanceClosure.objects.values_list(
            "congress__slug", "plenary_rule", "plenaries_from_entrance"
        )
    }


def test_ticked_box_becomes_the_entrance_rule(migrator):
    _closures(migrator.loader.project_state(BEFORE).apps, {"ticked": True, "unticked": False})

    migrator.migrate(AFTER)

    after = _rules(MigrationExecutor(connection).loader.project_state(AFTER).apps)
    assert after == {"ticked": ("entrance", True), "unticked": ("room_doors", False)}


def test_going_back_ticks_the_box_where_the_rule_is_entrance(migrator):
    _closures(migrator.loader.project_state(BEFORE).apps, {"was": True, "became": False})
    migrator.migrate(AFTER)
    apps = MigrationExecutor(connection).loader.project_state(AFTER).apps
    closures = apps.get_model("attendance", "AttendanceClosure").objects
    closures.filter(congress__slug="was").update(plenary_rule="none")
    closures.filter(congress__slug="became").update(plenary_rule="entrance")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)

    back = _rules(executor.loader.project_state(BEFORE).apps)
    assert back == {"was": ("none", False), "became": ("entrance", True)}
