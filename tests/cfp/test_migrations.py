"""The migrations that turn Submission.programme_session_id into a real foreign key."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cfp.models import Submission
from tests.factories.cfp import SubmissionFactory
from tests.factories.sessions import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("cfp", "0001_initial")]
PROGRAMME = ("programme", "0002_add_publication_and_signup_times")


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def back_at_integer_link():
    """The database as it was with the integer column; migrated forward again afterwards."""
    _migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state([*BEFORE, PROGRAMME]).apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_migration_clears_links_to_deleted_sessions_and_keeps_the_others(
    back_at_integer_link, capsys
):
    linked, dangling, unlinked = SubmissionFactory.create_batch(3)
    kept_session, deleted_session = SessionFactory.create_batch(2)
    Submission.objects.filter(pk=linked.pk).update(programme_session=kept_session)
    Submission.objects.filter(pk=dangling.pk).update(programme_session=deleted_session)
    historical_session = back_at_integer_link.get_model("programme", "Session")
    historical_session.objects.filter(pk=deleted_session.pk).delete()

    _migrate([("cfp", "0003_link_submission_to_programme_session")])

    links = dict(Submission.objects.values_list("pk", "programme_session_id"))
    assert links == {linked.pk: kept_session.pk, dangling.pk: None, unlinked.pk: None}
    assert capsys.readouterr().out == (
        "\n  cfp: cleared the programme session of 1 submission(s) whose session no longer exists."
    )
