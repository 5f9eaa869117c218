"""Append-only tables: rows are inserted, never changed or deleted (audit events, scan log).

One mechanism, three layers:
- `AppendOnlyModel` (abstract base): `save()` of an existing row and `delete()` raise
  `AppendOnlyViolation`; its default manager's querysets refuse `update()`, `delete()`,
  `bulk_update()` and `update_or_create()`. Inserting (`create`, `bulk_create`) is the only
  write.
- `AppendOnlyTriggers` (a migration operation): database triggers on PostgreSQL and SQLite
  refusing UPDATE and DELETE, so raw SQL, a forgotten base-manager path or a cascade cannot
  tamper either. The database answers with an IntegrityError.
- The tests in tests/common/test_append_only.py write every column of each such table with
  raw SQL and check that it is refused.

The one update allowed is what `on_delete=SET_NULL` does when a user account is deleted:
the columns named in `nullable` may be set to NULL, nothing else may change in that row.

SQLite drops a table's triggers when Django rebuilds the table (some AlterField/AddField
migrations do): a migration that rebuilds an append-only table must add `AppendOnlyTriggers`
again after it. On SQLite the triggers also list the table's columns; after adding a column,
add the operation again (it replaces the triggers). The raw-SQL tests fail until then.
"""

from collections.abc import Sequence

from django.db import migrations, models


class AppendOnlyViolation(Exception):
    """Someone tried to change or delete a row of an append-only table."""


def _refuse(model: type[models.Model], what: str) -> AppendOnlyViolation:
    return AppendOnlyViolation(f"{model._meta.label} is append-only: {what} is refused.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse(self.model, "update()")

    def delete(self):
        raise _refuse(self.model, "delete()")

    def bulk_update(self, objs, fields, batch_size=None):
        raise _refuse(self.model, "bulk_update()")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise _refuse(self.model, "update_or_create()")


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


class AppendOnlyModel(models.Model):
    """Abstract base of append-only models (see the module docstring)."""

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _refuse(type(self), "saving an existing row")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self), "delete")


def _postgresql_sql(table: str, nullable: Sequence[str]) -> tuple[list[str], list[str]]:
    function = f"{table}_append_only"
    allowed = "FALSE"
    if nullable:
        keys = ", ".join(f"'{column}'" for column in nullable)
        allowed = " AND ".join(
            [
                f"(to_jsonb(NEW) - ARRAY[{keys}]) = (to_jsonb(OLD) - ARRAY[{keys}])",
                *(
                    f'(NEW."{column}" IS NULL OR NEW."{column}" = OLD."{column}")'
                    for column in nullable
                ),
            ]
        )
    create = [
        f"""CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {allowed} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$""",
        f'DROP TRIGGER IF EXISTS "{function}" ON "{table}"',
        f'CREATE TRIGGER "{function}" BEFORE UPDATE OR DELETE ON "{table}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{function}"()',
    ]
    drop = [
        f'DROP TRIGGER IF EXISTS "{function}" ON "{table}"',
        f'DROP FUNCTION IF EXISTS "{function}"()',
    ]
    return create, drop


def _sqlite_sql(
    table: str, columns: Sequence[str], nullable: Sequence[str]
) -> tuple[list[str], list[str]]:
    update, delete = f"{table}_append_only_update", f"{table}_append_only_delete"
    allowed = "0"
    if nullable:
        allowed = " AND ".join(
            [
                *(
                    f'NEW."{column}" IS OLD."{column}"'
                    for column in columns
                    if column not in nullable
                ),
                *(
                    f'(NEW."{column}" IS NULL OR NEW."{column}" IS OLD."{column}")'
                    for column in nullable
                ),
            ]
        )
    drop = [f'DROP TRIGGER IF EXISTS "{update}"', f'DROP TRIGGER IF EXISTS "{delete}"']
    create = [
        *drop,
        f'CREATE TRIGGER "{update}" BEFORE UPDATE ON "{table}" WHEN NOT ({allowed}) '
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
        f'CREATE TRIGGER "{delete}" BEFORE DELETE ON "{table}" '
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
    ]
    return create, drop


class AppendOnlyTriggers(migrations.operations.base.Operation):
    """Install (or replace) the database triggers that keep `model_name`'s table
    append-only; reversing removes them. `nullable`: field names whose column may be set
    to NULL (their `on_delete=SET_NULL`). PostgreSQL and SQLite; other vendors get none.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, nullable: Sequence[str] = ()):
        self.model_name = model_name
        self.nullable = tuple(nullable)

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.nullable:
            kwargs["nullable"] = self.nullable
        return self.__class__.__qualname__, [], kwargs

    def describe(self):
        return f"Append-only triggers on {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_append_only"

    def state_forwards(self, app_label, state):
        pass  # database only: the models do not change

    def _statements(self, app_label, schema_editor, state) -> tuple[list[str], list[str]]:
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        nullable = [model._meta.get_field(name).column for name in self.nullable]
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            return _postgresql_sql(table, nullable)
        if vendor == "sqlite":
            columns = [field.column for field in model._meta.concrete_fields]
            return _sqlite_sql(table, columns, nullable)
        return [], []

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        create, _drop = self._statements(app_label, schema_editor, to_state)
        for statement in create:
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        _create, drop = self._statements(app_label, schema_editor, from_state)
        for statement in drop:
            schema_editor.execute(statement, params=None)
