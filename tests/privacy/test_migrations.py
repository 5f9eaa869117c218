"""The data migration giving erasure requests a real foreign key to their congress."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from privacy.models import ErasureRequest
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

INTEGER_AND_FOREIGN_KEY = [("privacy", "0002_add_erasurerequest_congress")]
FOREIGN_KEY_ONLY = [("privacy", "0004_require_erasurerequest_congress")]


def _migrate(targets):
    """Migrate to `targets`; return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_migration_copies_the_congress_id_into_the_foreign_key(back_to_the_latest_schema):
    congress = CongressFactory()
    person = PersonFactory()
    old_models = _migrate(INTEGER_AND_FOREIGN_KEY)
    old_models.get_model("privacy", "ErasureRequest").objects.create(
        person_id=person.pk, congress_pk=congress.pk
    )

    _migrate(FOREIGN_KEY_ONLY)

    assert list(ErasureRequest.objects.values_list("person", "congress")) == [
        (person.pk, congress.pk)
    ]


def test_migration_with_a_deleted_congress_reports_it_and_changes_nothing(
    back_to_the_latest_schema, capsys
):
    person = PersonFactory()
    old_models = _migrate(INTEGER_AND_FOREIGN_KEY)
    OldErasureRequest = old_models.get_model("privacy", "ErasureRequest")
    orphan = OldErasureRequest.objects.create(person_id=person.pk, congress_pk=9999)

    with pytest.raises(RuntimeError) as error:
        _migrate(FOREIGN_KEY_ONLY)

    assert capsys.readouterr().out == (
        f"Erasure request {orphan.pk} (person {person.pk}, pending): "
        "congress 9999 no longer exists.\n"
    )
    assert str(error.value) == (
        "1 erasure request(s) point at a congress that no longer exists (listed above). "
        "Set their congress_pk to an existing congress, or delete the decided ones, then "
        "migrate again."
    )
    assert list(OldErasureRequest.objects.values_list("congress_pk", "congress")) == [(9999, None)]
    OldErasureRequest.objects.all().delete()


def test_migration_backwards_copies_the_foreign_key_into_the_congress_id(
    back_to_the_latest_schema,
):
    congress = CongressFactory()
    ErasureRequest.objects.create(person=PersonFactory(), congress=congress)

    old_models = _migrate(INTEGER_AND_FOREIGN_KEY)

    assert list(
        old_models.get_model("privacy", "ErasureRequest").objects.values_list("congress_pk")
    ) == [(congress.pk,)]
