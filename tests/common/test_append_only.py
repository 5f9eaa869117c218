"""The append-only tables (audit trail, badge scan log) refuse changes in the database too:
raw SQL that updates any column or deletes a row fails, whatever the code path."""

import datetime
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from badges.models import Scan
from common.append_only import AppendOnlyModel
from congress.models import AuditEvent
from congress.services import record_audit
from tests.factories.badges import CheckInFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

APPEND_ONLY_MODELS = [model for model in apps.get_models() if issubclass(model, AppendOnlyModel)]
COLUMNS = [
    pytest.param(model, field.column, id=f"{model._meta.label}.{field.column}")
    for model in APPEND_ONLY_MODELS
    for field in model._meta.concrete_fields
]
T0 = datetime.datetime(2027, 6, 15, 8, 0, tzinfo=datetime.UTC)


def _scan(**fields) -> Scan:
    checkin = CheckInFactory()
    return Scan.objects.create(
        congress=checkin.checkpoint.congress,
        checkpoint=checkin.checkpoint,
        credential=checkin.credential,
        checkin=checkin,
        scan_id=uuid.uuid4(),
        staff=UserFactory(),
        **fields,
    )


def _two_scans() -> tuple[Scan, Scan]:
    """Two scans that differ in every column."""
    first = _scan(
        direction="entry", result="ok", reason="", device_id="door-1", scanned_at=T0,
        received_at=T0,
    )  # fmt: skip
    later = T0 + datetime.timedelta(hours=1)
    second = _scan(
        direction="exit", result="not_allowed", reason="not_checked_in", device_id="door-2",
        scanned_at=later, received_at=later,
    )  # fmt: skip
    return first, second


def _two_audit_events() -> tuple[AuditEvent, AuditEvent]:
    """Two audit events that differ in every column."""
    rows = []
    for hour, action in enumerate(["congress.published", "session.changed"]):
        checkin = CheckInFactory()
        with time_machine.travel(T0 + datetime.timedelta(hours=hour), tick=False):
            rows.append(
                record_audit(
                    action=action,
                    congress=checkin.checkpoint.congress,
                    actor=UserFactory(),
                    target=checkin if hour else checkin.checkpoint,
                    detail={"hour": hour},
                )
            )
    return rows[0], rows[1]


TWO_ROWS = {"badges.Scan": _two_scans, "congress.AuditEvent": _two_audit_events}


def _row(model, pk) -> tuple:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 - our table
        return cursor.fetchone()


def test_append_only_models_are_the_audit_trail_and_the_scan_log():
    assert sorted(model._meta.label for model in APPEND_ONLY_MODELS) == sorted(TWO_ROWS)


@pytest.mark.parametrize(("model", "column"), COLUMNS)
def test_raw_sql_update_of_any_column_is_refused(model, column):
    first, second = TWO_ROWS[model._meta.label]()
    before = _row(model, first.pk)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    sql = (
        f"UPDATE {table} SET {column} = "  # noqa: S608 - our own table and column names
        f"(SELECT {column} FROM {table} WHERE id = %s) WHERE id = %s"
    )

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [second.pk, first.pk])

    assert _row(model, first.pk) == before


@pytest.mark.parametrize("model", APPEND_ONLY_MODELS, ids=lambda model: model._meta.label)
def test_raw_sql_delete_is_refused(model):
    first, _second = TWO_ROWS[model._meta.label]()
    table = connection.ops.quote_name(model._meta.db_table)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [first.pk])  # noqa: S608

    assert model.objects.filter(pk=first.pk).count() == 1


def test_deleting_a_staff_account_keeps_its_scans_without_staff():
    first, second = _two_scans()

    first.staff.delete()

    assert list(Scan.objects.order_by("pk").values_list("pk", "staff", "device_id")) == [
        (first.pk, None, "door-1"),
        (second.pk, second.staff_id, "door-2"),
    ]
