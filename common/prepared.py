"""Queries of a hot path compiled once per database connection, and rows inserted without
the ORM's per-call compiling.

Building a queryset and compiling it to SQL costs far more CPU than the database takes to
run a simple indexed query: on a registration, the ORM's `filter()`, `as_sql()` and
`save()` were about half of the request's time. `PreparedQuery` builds the queryset once, with
placeholder values for its parameters, compiles it once per connection, and afterwards
runs the same SQL with the real values; the rows become model instances with
`Model.from_db`, as the ORM would make them (same converters, same deferred fields).

    _category = PreparedQuery(
        lambda congress_id, code: RegistrationCategory.objects.filter(
            congress_id=congress_id, code=code
        ).order_by(),
        congress_id=-7_000_001,
        code="prepared%_code",
    )
    category = _category.first(congress_id=congress.pk, code=code)

Rules for the queryset a `PreparedQuery` builds:
- every parameter named by a placeholder must reach the SQL unchanged (an exact lookup,
  `<`, `>`, a datetime comparison; not `contains` or `iexact`, whose value the lookup may
  escape): compiling fails at once, with the placeholder's name, when a placeholder is not
  found among the parameters as given. Text placeholders must contain `%` and `_`, so that
  a lookup escaping them is caught;
- a query that locks rows (`select_for_update`) reads one table: a join, often the model's
  ordering by a relation, would lock the joined rows too (add `.order_by()`);
- it selects one model's own columns (no `select_related`, `prefetch_related` or
  annotations), or is a `values_list()` (rows as tuples).

`insert(instance)` saves a new instance with one `INSERT ... RETURNING` whose column list is
built once per model and connection; `pre_save` and `post_save` are sent as `save()` sends
them, so receivers see no difference.
"""

import datetime
import weakref
from collections.abc import Callable

from django.db import DatabaseError, connections, router
from django.db.models import Model, QuerySet
from django.db.models.signals import post_save, pre_save

# Per connection wrapper (thread-bound): {PreparedQuery or model: compiled form}.
_compiled: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()


class PreparedQueryError(ValueError):
    """A PreparedQuery breaks one of the rules above (raised when it is first compiled)."""


def _per_connection(connection) -> dict:
    found = _compiled.get(connection)
    if found is None:
        found = _compiled[connection] = {}
    return found


class PreparedQuery:
    """A read query built by `build(**placeholders)` and compiled once per connection."""

    def __init__(self, build: Callable[..., QuerySet], *, for_share: bool = False, **placeholders):
        """`for_share`: lock the rows read in share mode (`FOR SHARE`, which Django's
        `select_for_update` cannot ask for) on databases with row locks: transactions
        holding it do not wait for each other, and an UPDATE of the row waits for them."""
        self.build = build
        self.for_share = for_share
        self.placeholders = placeholders

    def _compile(self, connection):
        for name, placeholder in self.placeholders.items():
            if isinstance(placeholder, str) and not {"%", "_"} <= set(placeholder):
                # A lookup that escapes its value (LIKE) would change these: the placeholder
                # would then not be found, instead of running with an unescaped value.
                raise PreparedQueryError(f"the text placeholder {name!r} must contain % and _")
        queryset = self.build(**self.placeholders)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        locks = queryset.query.select_for_update or self.for_share
        if self.for_share and connection.features.has_select_for_update:
            sql = f"{sql} FOR SHARE"
        if locks and len(queryset.query.alias_map) > 1:
            # A join (often the model's ordering by a relation) would lock the joined rows.
            raise PreparedQueryError("a PreparedQuery that locks rows must read one table")
        # Each parameter is a placeholder's value (adapted as the ORM adapts it) or a
        # constant the queryset put there.
        found: set = set()
        slots = [self._slot(value, connection, found) for value in params]
        missing = set(self.placeholders) - found
        if missing:
            raise PreparedQueryError(
                f"placeholders not found in the compiled query: {sorted(missing)}"
            )
        select = [column for column, _sql, _alias in compiler.select]
        converters = compiler.get_converters(select)
        model_rows = None
        if compiler.klass_info is not None and not queryset._fields:
            klass_info = compiler.klass_info
            if klass_info.get("related_klass_infos") or compiler.annotation_col_map:
                raise PreparedQueryError("a PreparedQuery selects one model's own columns only")
            fields = klass_info["select_fields"]
            names = [compiler.select[index][0].target.attname for index in fields]
            model_rows = (queryset.model, fields[0], fields[-1] + 1, names)
        return sql, slots, compiler, converters, model_rows

    def _slot(self, value, connection, found: set) -> tuple:
        """(placeholder name or None, adapter of the value or None, constant value)."""
        for name, placeholder in self.placeholders.items():
            if value == placeholder and type(value) is type(placeholder):
                found.add(name)
                return (name, None, None)
            if isinstance(placeholder, datetime.datetime):
                adapt = connection.ops.adapt_datetimefield_value
                if adapt(placeholder) is not placeholder and value == adapt(placeholder):
                    found.add(name)
                    return (name, adapt, None)
        return (None, None, value)

    def _prepared(self, connection) -> tuple:
        compiled = _per_connection(connection)
        prepared = compiled.get(self)
        if prepared is None:
            prepared = compiled[self] = self._compile(connection)
        return prepared

    def sql(self, *, using: str | None = None) -> str:
        """The compiled SQL (parameters as %s) on the `using` connection: for EXPLAIN."""
        return self._prepared(connections[using or router.db_for_read(None)])[0]

    def compiled(self, connection, **values) -> tuple[str, list]:
        """The SQL and its parameters for `values` on `connection`: to use this query inside
        a larger statement (a subquery)."""
        prepared = self._prepared(connection)
        return prepared[0], self._params(prepared, values)

    def rows(self, *, using: str | None = None, **values) -> list:
        """The rows as the database gives them after the ORM's converters: model instances,
        or tuples for a `values_list()` query."""
        alias = using or router.db_for_read(None)
        connection = connections[alias]
        prepared = self._prepared(connection)
        with connection.cursor() as cursor:
            cursor.execute(prepared[0], self._params(prepared, values))
            rows = cursor.fetchall()
        return self._from_db(prepared, alias, rows)

    def first(self, *, using: str | None = None, **values):
        """The first row, or None."""
        found = self.rows(using=using, **values)
        return found[0] if found else None

    @staticmethod
    def _params(prepared: tuple, values: dict) -> list:
        return [
            constant if name is None else adapt(values[name]) if adapt else values[name]
            for name, adapt, constant in prepared[1]
        ]

    @staticmethod
    def _from_db(prepared: tuple, alias: str, rows: list) -> list:
        _sql, _slots, compiler, converters, model_rows = prepared
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        if model_rows is None:
            return [tuple(row) for row in rows]
        model, start, end, names = model_rows
        return [model.from_db(alias, names, row[start:end]) for row in rows]


def rows_together(*queries: tuple[PreparedQuery, dict], using: str | None = None) -> list[list]:
    """The rows of several prepared queries, each given as (query, values), run in this
    order in one round trip on PostgreSQL (psycopg's pipeline mode: the statements are sent
    at once, and the server runs each as soon as the one before has finished), one after
    the other elsewhere.

    Each statement still sees what was committed before it started (READ COMMITTED takes a
    snapshot per statement): a count sent with a row lock, after it, counts what the
    lock's previous holder committed, and answers as soon as the lock is granted, with no
    round trip to the client in between."""
    alias = using or router.db_for_read(None)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return [query.rows(using=alias, **values) for query, values in queries]
    connection.ensure_connection()
    prepared = [(query._prepared(connection), values) for query, values in queries]
    cursors = [connection.cursor() for _query in queries]
    try:
        # Errors (a lock time-out) surface when the pipeline syncs: translated to Django's
        # exceptions as a cursor's would be.
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (shape, values) in zip(cursors, prepared, strict=True):
                cursor.execute(shape[0], PreparedQuery._params(shape, values))
        return [
            PreparedQuery._from_db(shape, alias, cursor.fetchall())
            for cursor, (shape, _values) in zip(cursors, prepared, strict=True)
        ]
    finally:
        for cursor in cursors:
            cursor.close()


def _insert_shape(model, connection, *, with_key: bool) -> tuple[str, list]:
    compiled = _per_connection(connection)
    shape = compiled.get((model, with_key))
    if shape is None:
        meta = model._meta
        quote = connection.ops.quote_name
        fields = [field for field in meta.concrete_fields if with_key or not field.primary_key]
        sql = (
            f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608 - our own names
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        if not with_key:
            sql += f" RETURNING {quote(meta.pk.column)}"
        shape = compiled[(model, with_key)] = (sql, fields)
    return shape


def insert(instance: Model, *, using: str | None = None) -> Model:
    """Save a new `instance` with one INSERT (`... RETURNING` its key when it has none yet),
    sending pre_save and post_save as `save()` does. The column list is built once per model
    and connection. In pipeline mode (`CommitPipeline`) the INSERT of an instance whose key
    is set is only sent: its reply comes with the next sync."""
    model = type(instance)
    alias = using or router.db_for_write(model, instance=instance)
    connection = connections[alias]
    pre_save.send(sender=model, instance=instance, raw=False, using=alias, update_fields=None)
    sql, fields = _insert_shape(model, connection, with_key=instance.pk is not None)
    instance._prepare_related_fields_for_save(operation_name="insert")
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if instance.pk is None:
            instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = alias
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=alias
    )
    return instance


class NextKey:
    """The next value of a model's primary key sequence, as a query for `rows_together`
    (PostgreSQL; elsewhere its one row is `(None,)`): a row whose key is known before it is
    inserted can be inserted by `CommitPipeline.insert` without waiting for the reply."""

    def __init__(self, model: type[Model]):
        self.model = model

    def _prepared(self, connection) -> tuple:
        meta = self.model._meta
        sql = "SELECT nextval(pg_get_serial_sequence(%s, %s))"
        return sql, [(None, None, meta.db_table), (None, None, meta.pk.column)], None, None, None

    def rows(self, *, using: str | None = None) -> list:
        alias = using or router.db_for_write(self.model)
        if connections[alias].vendor != "postgresql":
            return [(None,)]
        return rows_together((self, {}), using=alias)[0]


class CommitPipeline:
    """The last statements of a transaction sent with its COMMIT, in one round trip
    (PostgreSQL):

        with CommitPipeline() as pipeline, transaction.atomic():
            ...
            pipeline.insert(registration)  # its primary key already set (NextKey)

    `insert` switches the connection to psycopg's pipeline mode and sends the INSERT without
    waiting for its reply; the COMMIT that `transaction.atomic` sends on leaving goes right
    after it. So the row locks the transaction holds are released without a reply to the
    client in between: on a busy machine each reply costs the holder milliseconds of waiting
    for a core. Pipeline mode ends as soon as the COMMIT has answered (before any on-commit
    callback runs) or, on every other path, when the `with` block is left.

    `send(sql, params, then=...)` does the same for any statement, when `sends` says it can
    (a statement that takes a row lock, then one that writes under it: the lock is granted
    and released without any reply in between); `then` gets the statement's rows once the
    COMMIT has answered, before the on-commit callbacks run.

    So these statements should be the block's last: SQL after them still works (psycopg
    sends what is queued and waits for every answer, an error raised there), but the round
    trip is no longer saved. An error of a statement sent (a constraint) is raised by the
    commit, from the `atomic` block's exit, with the transaction rolled back.

    The INSERT is an ordinary one, its reply awaited, when there is no COMMIT to go with it:
    not PostgreSQL, no key set, or the `atomic` block is not the outermost (a savepoint
    inside a test's or an organiser's larger transaction); `sends` is then False."""

    def __init__(self, *, using: str | None = None):
        self.alias = using
        self._pipeline = None
        self._outermost = False
        self._replies: list[tuple] = []

    def __enter__(self) -> "CommitPipeline":
        self.alias = self.alias or router.db_for_write(None)
        connection = connections[self.alias]
        self._outermost = connection.vendor == "postgresql" and not connection.in_atomic_block
        return self

    @property
    def sends(self) -> bool:
        """Whether statements given to `send` go with the COMMIT (inside the outermost
        `atomic` block, on PostgreSQL)."""
        return self._outermost and connections[self.alias].in_atomic_block

    def insert(self, instance: Model) -> Model:
        if instance.pk is not None and self.sends:
            self._start()
        return insert(instance, using=self.alias)

    def send(self, sql: str, params: list, *, then: Callable[[list], object] | None = None):
        """Send one statement without waiting for its reply (only where `sends`); `then`
        gets its rows (tuples) once the COMMIT has answered."""
        if not self.sends:
            raise RuntimeError("CommitPipeline.send needs the outermost atomic block")
        self._start()
        cursor = connections[self.alias].cursor()
        cursor.execute(sql, params)
        self._replies.append((cursor, then))

    def _start(self) -> None:
        if self._pipeline is not None:
            return
        connection = connections[self.alias]
        self._pipeline = connection.connection.pipeline()
        self._pipeline.__enter__()
        commit = connection._commit

        def commit_then_end_pipeline():
            try:
                committed = commit()
            except BaseException:
                # The error of a statement sent (a constraint) is the one to raise; the
                # pipeline, aborted by it, still ends. atomic() then rolls back.
                self._end(quietly=True)
                raise
            self._end()
            for cursor, then in self._replies:
                if then is not None:
                    then(cursor.fetchall())
            return committed

        # For this one commit: Django's commit() calls the wrapper's _commit().
        connection._commit = commit_then_end_pipeline

    def _end(self, *, quietly: bool = False) -> None:
        connection = connections[self.alias]
        connection.__dict__.pop("_commit", None)
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is None:
            return
        try:
            with connection.wrap_database_errors:
                pipeline.__exit__(None, None, None)  # leaves pipeline mode, even on error
        except DatabaseError:
            if not quietly:
                raise

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        try:
            self._end(quietly=exc_type is not None)
        finally:
            replies, self._replies = self._replies, []
            for cursor, _then in replies:
                cursor.close()
