"""Scanning: check-in, check-out, the append-only scan log, offline batches, rate limit."""

from __future__ import annotations

import contextlib
import datetime
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from badges.exceptions import BadgeRevoked, ScanRateLimited, UnknownCheckpoint
from badges.models import CheckIn, Checkpoint, Credential, Scan
from badges.queries import congress_day, inside_now
from badges.rehearsal import is_rehearsal_day
from badges.services.credentials import ensure_credential, entrance_checkpoint
from common.exceptions import ConflictError
from common.ratelimit import Rate, hit
from congress.models import Congress
from members.models import Organisation, Person
from registrations.models import Registration, RegistrationCategory
from sessions.models import SessionSignup

Result = Scan.Result
Direction = Scan.Direction
# token_urlsafe output only; anything else is refused before touching the database.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Offline scans may arrive hours later; a clock far in the future or past is not trusted.
MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_OFFLINE_AGE = datetime.timedelta(days=7)


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    registration: Registration | None
    first_checked_in_at: datetime.datetime | None
    inside_now: int
    replayed: bool = False
    # The scan's day is outside the congress's days: it counts in no attendance figure.
    is_rehearsal: bool = False

    @property
    def result(self) -> str:
        return self.scan.result

    @property
    def reason(self) -> str:
        return self.scan.reason


def check_scan_rate(*, device_key: str, cost: int = 1) -> None:
    """Count `cost` scans for the device in the current minute (shared cache).

    Raises ScanRateLimited past settings.BADGES_SCANS_PER_MINUTE (default 120).
    """
    limit = getattr(settings, "BADGES_SCANS_PER_MINUTE", 120)
    if not hit(scope="badges-scan", key=device_key, rate=Rate(limit, 60), cost=cost).allowed:
        raise ScanRateLimited()


def _only(queryset):
    """The single row of a query on a unique key, or None (no ORDER BY, LIMIT 1)."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def _plausible_time(scanned_at: datetime.datetime | None, now: datetime.datetime):
    if scanned_at is None or timezone.is_naive(scanned_at):
        return now
    if scanned_at > now + MAX_CLOCK_SKEW or scanned_at < now - MAX_OFFLINE_AGE:
        return now
    return scanned_at


# What a scan decides on and answers with (the staff view of the person): fewer columns of
# the five joined tables to compile, fetch and turn into model instances on every scan.
# Anything else read from these instances costs one more query (the query-count tests in
# tests/badges/test_checkin_queries.py would show it).
_SCAN_FIELDS = (
    "token",
    "revoked_at",
    "revoked_reason",
    "registration__congress",
    "registration__status",
    "registration__is_protected",
    "registration__badge_display_name",
    "registration__hide_organisation_on_badge",
    "registration__person__name",
    "registration__person__latin_name",
    "registration__person__organisation__name",
    "registration__category__name",
    "registration__category__is_online",
)


def _find_credential(
    *, congress: Congress, token: str, registration_id: int | None
) -> Credential | None:
    related = ("registration__person__organisation", "registration__category")
    if registration_id is not None:
        registration = Registration.objects.filter(
            pk=registration_id, congress=congress, status=Registration.Status.CONFIRMED
        ).first()
        if registration is None:
            return None
        try:
            credential, _created = ensure_credential(registration=registration)
        except BadgeRevoked as error:
            # A manual check-in (and desk mode) of a revoked badge is refused as the
            # badge's scan would be, instead of issuing a brand-new badge.
            credential = error.context["credential"]
        return Credential.objects.select_related(*related).only(*_SCAN_FIELDS).get(pk=credential.pk)
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    # The token is unique: no ORDER BY (the model's ordering joins and sorts for nothing).
    credential = _only(
        Credential.objects.select_related(*related).only(*_SCAN_FIELDS).filter(token=token)
    )
    if credential is None or credential.registration.congress_id != congress.pk:
        return None  # a foreign congress's badge is as unknown here as a forged one
    return credential


def _insert_checkin(
    *, credential, checkpoint, day, scanned_at, scan_id, staff, is_rehearsal=False
) -> CheckIn | None:
    """Insert the check-in, or return None when (credential, checkpoint, day) exists.

    One statement, `INSERT ... ON CONFLICT (credential, checkpoint, day) DO NOTHING
    RETURNING id` (PostgreSQL and SQLite >= 3.35), instead of a savepoint, the INSERT and
    a rollback or release: the unique key still decides between two doors racing (the
    second INSERT waits for the first transaction and then inserts nothing). Any other
    unique violation (a reused scan_id) still raises IntegrityError.
    """
    checkin = CheckIn(
        credential=credential,
        checkpoint=checkpoint,
        day=day,
        checked_in_at=scanned_at,
        scan_id=scan_id,
        staff=staff,
        is_rehearsal=is_rehearsal,
    )
    fields = [field for field in CheckIn._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(checkin, True), connection) for field in fields]
    quote = connection.ops.quote_name
    keys = ", ".join(
        quote(CheckIn._meta.get_field(name).column) for name in ("credential", "checkpoint", "day")
    )
    sql = (
        f"INSERT INTO {quote(CheckIn._meta.db_table)} "  # noqa: S608 - our own table and columns
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({keys}) DO NOTHING RETURNING {quote(CheckIn._meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return None
    checkin.pk = row[0]
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return checkin


def _admit(
    *,
    credential,
    checkpoint,
    direction,
    day,
    scanned_at,
    scan_id,
    staff,
    is_rehearsal,
):
    """(result, reason, checkin, first_checked_in_at) for an admissible credential.

    An entry of a registrant of an online category is refused ("online_participant"),
    whether by badge or by registration (manual search, desk mode), until an organiser
    moves them to a category on site."""
    registration = credential.registration
    if not checkpoint.is_active:
        # Its session was cancelled or no longer requires sign-up (offline scans made
        # before that arrive here too: the door is closed now).
        return Result.NOT_ALLOWED, "checkpoint_closed", None, None
    if credential.revoked_at is not None:
        return Result.REVOKED, credential.revoked_reason[:40] or "revoked", None, None
    if registration.status != Registration.Status.CONFIRMED:
        return Result.NOT_ALLOWED, "registration_not_confirmed", None, None
    if direction == Direction.ENTRY and registration.category.is_online:
        return Result.NOT_ALLOWED, "online_participant", None, None
    if (
        checkpoint.kind == Checkpoint.Kind.SESSION
        and not checkpoint.is_open_to_all
        and not SessionSignup.objects.filter(
            session_id=checkpoint.session_id,
            registration=registration,
            state=SessionSignup.State.SEATED,
        ).exists()
    ):
        return Result.NOT_ALLOWED, "not_signed_up", None, None
    keys = {"credential": credential, "checkpoint": checkpoint, "day": day}
    if direction == Direction.EXIT:
        # Locked, so two doors scanning the same exit check out once.
        existing = _only(CheckIn.objects.select_for_update().filter(**keys))
        if existing is None:
            return Result.NOT_ALLOWED, "not_checked_in", None, None
        if existing.checked_out_at is not None:
            return Result.NOT_ALLOWED, "already_checked_out", existing, None
        existing.checked_out_at = scanned_at
        existing.save(update_fields=["checked_out_at"])
        return Result.OK, "checked_out", existing, None
    checkin = _insert_checkin(
        credential=credential,
        checkpoint=checkpoint,
        day=day,
        scanned_at=scanned_at,
        scan_id=scan_id,
        staff=staff,
        is_rehearsal=is_rehearsal,
    )
    if checkin is not None:
        return Result.OK, "", checkin, None
    existing = CheckIn.objects.select_for_update().get(**keys)
    if existing.checked_out_at is not None:
        existing.checked_out_at = None
        existing.save(update_fields=["checked_out_at"])
        return Result.OK, "re_entry", existing, existing.checked_in_at
    return Result.ALREADY_CHECKED_IN, "", existing, existing.checked_in_at


def record_scan(
    *,
    congress: Congress,
    checkpoint: Checkpoint | None = None,
    token: str = "",
    registration_id: int | None = None,
    direction: str = Direction.ENTRY,
    scan_id: uuid.UUID | None = None,
    device_id: str = "",
    staff: AbstractBaseUser | None = None,
    scanned_at: datetime.datetime | None = None,
) -> ScanOutcome:
    """Decide one scan (by badge token, or by registration for a manual check-in), apply it
    and append it to the scan log.

    Guarantees: one CheckIn per (credential, checkpoint, congress day) even when doors race
    (unique key, IntegrityError caught in a savepoint); a scan_id seen before returns the
    first outcome unchanged (replayed=True); refused scans are logged too. Garbage, forged or
    foreign tokens are `invalid`. `checkpoint` None means the congress entrance.
    Raises UnknownCheckpoint for a checkpoint of another congress.
    """
    if checkpoint is None:
        # One plain query once the entrance exists (entrance_checkpoint creates it in a
        # transaction, which costs two more round trips on every scan).
        checkpoint = _only(
            Checkpoint.objects.filter(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
        ) or entrance_checkpoint(congress=congress)
    if checkpoint.congress_id != congress.pk:
        raise UnknownCheckpoint()
    now = timezone.now()
    scanned_at = _plausible_time(scanned_at, now)
    day = congress_day(congress=congress, moment=scanned_at)
    is_rehearsal = is_rehearsal_day(congress=congress, day=day)
    if registration_id is None and getattr(settings, "BADGES_SCAN_FAST_PATH", True):
        return _record_token_scan(
            congress=congress,
            direction=direction,
            checkpoint=checkpoint,
            token=token,
            scan_id=scan_id,
            device_id=device_id,
            staff=staff,
            scanned_at=scanned_at,
            now=now,
            day=day,
            is_rehearsal=is_rehearsal,
        )
    return _record_scan_orm(
        congress=congress,
        checkpoint=checkpoint,
        token=token,
        registration_id=registration_id,
        direction=direction,
        scan_id=scan_id,
        device_id=device_id,
        staff=staff,
        scanned_at=scanned_at,
        now=now,
        day=day,
        is_rehearsal=is_rehearsal,
    )


def _record_scan_orm(
    *,
    congress,
    checkpoint,
    token,
    registration_id,
    direction,
    scan_id,
    device_id,
    staff,
    scanned_at,
    now,
    day,
    is_rehearsal,
) -> ScanOutcome:
    """The general path (exits, manual check-ins, re-entries; every scan when
    settings.BADGES_SCAN_FAST_PATH is False): ORM statements in one transaction."""
    credential = _find_credential(congress=congress, token=token, registration_id=registration_id)
    try:
        with transaction.atomic():
            result, reason, checkin, first_at = Result.INVALID, "unknown_token", None, None
            if credential is not None:
                result, reason, checkin, first_at = _admit(
                    credential=credential,
                    checkpoint=checkpoint,
                    direction=direction,
                    day=day,
                    scanned_at=scanned_at,
                    scan_id=scan_id,
                    staff=staff,
                    is_rehearsal=is_rehearsal,
                )
            scan = Scan.objects.create(
                congress=congress,
                checkpoint=checkpoint,
                credential=credential,
                checkin=checkin,
                scan_id=scan_id,
                direction=direction,
                result=result,
                reason=reason,
                device_id=device_id[:64],
                staff=staff if staff is not None and staff.is_authenticated else None,
                scanned_at=scanned_at,
                received_at=now,
            )
    except IntegrityError:
        # A scan_id seen before (a replay, or the same scan arriving twice at once): the
        # unique scan_id refused it and the transaction rolled back everything this call
        # did, so the first outcome is returned unchanged. Looking the scan_id up only
        # here, not before every scan, saves a query on each new scan.
        previous = _previous_scan(congress=congress, scan_id=scan_id) if scan_id else None
        if previous is None:
            raise
        return previous
    return ScanOutcome(
        scan=scan,
        registration=credential.registration if credential else None,
        first_checked_in_at=first_at,
        inside_now=inside_now(checkpoint_id=checkpoint.pk, day=day),
        is_rehearsal=is_rehearsal,
    )


def _previous_scan(*, congress: Congress, scan_id: uuid.UUID) -> ScanOutcome | None:
    scan = _only(
        Scan.objects.select_related(
            "checkin",
            "credential__registration__person__organisation",
            "credential__registration__category",
        ).filter(scan_id=scan_id)
    )
    if scan is None:
        return None
    if scan.congress_id != congress.pk:
        raise ConflictError()
    first_at = None
    if scan.result == Result.ALREADY_CHECKED_IN and scan.checkin is not None:
        first_at = scan.checkin.checked_in_at
    day = congress_day(congress=congress, moment=scan.scanned_at)
    return ScanOutcome(
        scan=scan,
        registration=scan.credential.registration if scan.credential else None,
        first_checked_in_at=first_at,
        inside_now=inside_now(checkpoint_id=scan.checkpoint_id, day=day),
        replayed=True,
        is_rehearsal=is_rehearsal_day(congress=congress, day=day),
    )


@dataclass(frozen=True)
class BatchItem:
    outcome: ScanOutcome
    conflict: bool


def record_scan_batch(
    *,
    congress: Congress,
    scans: list[dict],
    checkpoints: dict[int, Checkpoint],
    device_id: str = "",
    staff: AbstractBaseUser | None = None,
) -> list[BatchItem]:
    """Apply scans queued offline, in the order they were made; idempotent by scan_id.

    Each item has `token`, `checkpoint` (id or None), `scan_id`, `direction`, `scanned_at`
    and optionally `offline_result` (what the device showed). A conflict is a scan whose
    server result differs from what the device showed offline (e.g. a badge revoked since
    the last sync, or already admitted at another door). Uploading the same batch twice
    changes nothing the second time.
    """
    ordered = sorted(scans, key=lambda item: item.get("scanned_at") or timezone.now())
    items = []
    for item in ordered:
        outcome = record_scan(
            congress=congress,
            checkpoint=checkpoints.get(item.get("checkpoint")) if item.get("checkpoint") else None,
            token=item.get("token", ""),
            direction=item.get("direction") or Direction.ENTRY,
            scan_id=item["scan_id"],
            device_id=device_id,
            staff=staff,
            scanned_at=item.get("scanned_at"),
        )
        offline = item.get("offline_result") or ""
        items.append(
            BatchItem(outcome=outcome, conflict=bool(offline) and offline != outcome.result)
        )
    return items


# --- The door's hot path: a scan by badge token (entry or exit) ---------------------------
#
# At most four SQL statements a scan on PostgreSQL, no transaction of its own (every write is
# one statement, atomic by itself), little ORM work (docs/badges.md, "Hot path"):
#   1. the credential with its registration, person, organisation and category (plus, at a
#      session door that needs a sign-up, whether the person holds a seat: an EXISTS);
#   2. `WITH c AS (INSERT INTO check-in ... ON CONFLICT DO NOTHING RETURNING id)
#      INSERT INTO scan ... SELECT ... FROM c RETURNING id, inside-now`: the check-in and
#      its scan log row in one round trip;
#   3.-4. only when that inserted nothing (the badge was already admitted today): the
#      existing check-in, then the scan log row (`INSERT ... RETURNING id, inside-now`).
#   3.-4. a re-entry after an exit: after statement 3 found the check-in closed,
#      `WITH c AS (UPDATE check-in SET checked_out_at = NULL ... RETURNING id) INSERT INTO
#      scan ...` reopens it and logs the scan in one round trip.
# An exit is statement 1 and `WITH c AS (UPDATE check-in SET checked_out_at = ... WHERE ...
# AND checked_out_at IS NULL RETURNING id) INSERT INTO scan ...` (two statements); when it
# closed nothing, the check-in is read and the refusal logged (four).
# A refused scan (unknown, revoked, not confirmed, closed door) is statements 1 and 4.
# Two doors racing are decided by the rows themselves: the unique key for entries, the
# `checked_out_at IS [NOT] NULL` condition of each UPDATE for exits and re-entries.
# Manual check-ins (by registration) take the general path above.
# SQLite (development) has no data-modifying CTE: the check-in and the scan log row are two
# statements in a transaction there (five statements for a first entry).


def _db():
    """The default database's connection itself: `django.db.connection` is a proxy whose
    every attribute costs a thread-local lookup, and the hot path (field preparation
    included) reads dozens of them per scan."""
    return connections[DEFAULT_DB_ALIAS]


def _needs_signup(checkpoint: Checkpoint) -> bool:
    return checkpoint.kind == Checkpoint.Kind.SESSION and not checkpoint.is_open_to_all


def _scanned_credential(*, congress: Congress, token: str, checkpoint: Checkpoint):
    """The credential of `token` for this congress (one query), or None.

    The door's hottest statement: its SQL is built once per process and the row becomes
    model instances without the ORM's query compiler (about half of a scan's Python time
    went into compiling and instantiating the five-table select_related query)."""
    connection = _db()
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    needs_signup = _needs_signup(checkpoint)
    sql, converters = _credential_sql(connection, seated=needs_signup)
    params = [checkpoint.session_id, token] if needs_signup else [token]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, convert in converters:
        row[index] = convert(row[index])
    credential = _credential_from_row(row, alias=connection.alias)
    if credential.registration.congress_id != congress.pk:
        return None  # a foreign congress's badge is as unknown here as a forged one
    if needs_signup:
        credential.seated = bool(row[-1])
    return credential


def _in_field_order(model, names):
    """`names` (attnames) in the model's concrete field order, as Model.from_db wants."""
    order = [field.attname for field in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


# (key, model, attnames) in the order of the SELECT list of `_credential_sql`.
_CREDENTIAL_COLUMNS = tuple(
    (key, model, _in_field_order(model, names))
    for key, model, names in (
        (
            "credential",
            Credential,
            ("id", "registration_id", "token", "revoked_at", "revoked_reason"),
        ),
        (
            "registration",
            Registration,
            (
                "id",
                "congress_id",
                "person_id",
                "category_id",
                "status",
                "is_protected",
                "badge_display_name",
                "hide_organisation_on_badge",
            ),
        ),
        ("person", Person, ("id", "name", "latin_name", "organisation_id")),
        ("organisation", Organisation, ("id", "name")),
        ("category", RegistrationCategory, ("id", "name", "is_online")),
    )
)
_credential_sql_cache: dict[tuple[str, bool], tuple[str, list]] = {}


def _credential_sql(connection, *, seated: bool) -> tuple[str, list]:
    """(SQL, [(column index, converter)]) of the credential lookup, built once per vendor."""
    key = (connection.vendor, seated)
    if key in _credential_sql_cache:
        return _credential_sql_cache[key]
    quote = connection.ops.quote_name
    aliases = {"credential": "c", "registration": "r", "person": "p", "organisation": "o"}
    aliases["category"] = "k"
    select, converters = [], []
    for alias_name, model, names in _CREDENTIAL_COLUMNS:
        for name in names:
            field = model._meta.get_field(name.removesuffix("_id") if name != "id" else "id")
            select.append(f"{aliases[alias_name]}.{quote(field.column)}")
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                converters.append((len(select) - 1, _converter(found, column, connection)))

    def table(model):
        return quote(model._meta.db_table)

    def col(model, name):
        return quote(model._meta.get_field(name).column)

    joins = (
        f"FROM {table(Credential)} c "
        f"JOIN {table(Registration)} r ON r.{quote('id')} = c.{col(Credential, 'registration')} "
        f"JOIN {table(Person)} p ON p.{quote('id')} = r.{col(Registration, 'person')} "
        f"LEFT JOIN {table(Organisation)} o ON o.{quote('id')} = p.{col(Person, 'organisation')} "
        f"JOIN {table(RegistrationCategory)} k "
        f"ON k.{quote('id')} = r.{col(Registration, 'category')} "
    )
    if seated:
        select.append(
            f"EXISTS (SELECT 1 FROM {table(SessionSignup)} s "  # noqa: S608 - our own names
            f"WHERE s.{col(SessionSignup, 'session')} = %s "
            f"AND s.{col(SessionSignup, 'registration')} = r.{quote('id')} "
            f"AND s.{col(SessionSignup, 'state')} = '{SessionSignup.State.SEATED}')"
        )
    # Parameters in the text's order: the EXISTS's session id (if any), then the token.
    sql = f"SELECT {', '.join(select)} {joins}WHERE c.{col(Credential, 'token')} = %s"
    _credential_sql_cache[key] = (sql, converters)
    return sql, converters


def _converter(converters, column, connection):
    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


def _credential_from_row(row: list, *, alias: str):
    """Model instances of one credential row, related objects cached on them (as
    select_related would), built with Model.from_db."""
    instances, start = {}, 0
    for name, model, names in _CREDENTIAL_COLUMNS:
        values = row[start : start + len(names)]
        start += len(names)
        instances[name] = None if values[0] is None else model.from_db(alias, names, values)
    person, registration = instances["person"], instances["registration"]
    Person.organisation.field.set_cached_value(person, instances["organisation"])
    Registration.person.field.set_cached_value(registration, person)
    Registration.category.field.set_cached_value(registration, instances["category"])
    credential = instances["credential"]
    Credential.registration.field.set_cached_value(credential, registration)
    return credential


def _refusal(*, credential, checkpoint: Checkpoint, direction: str) -> tuple[str, str] | None:
    """(result, reason) when the scan is refused, in `_admit`'s order; None to admit."""
    if credential is None:
        return Result.INVALID, "unknown_token"
    if not checkpoint.is_active:
        return Result.NOT_ALLOWED, "checkpoint_closed"
    if credential.revoked_at is not None:
        return Result.REVOKED, credential.revoked_reason[:40] or "revoked"
    if credential.registration.status != Registration.Status.CONFIRMED:
        return Result.NOT_ALLOWED, "registration_not_confirmed"
    if direction == Direction.ENTRY and credential.registration.category.is_online:
        # Registered to take part online: no entry on site until an organiser moves them
        # to a category on site (as at the desk).
        return Result.NOT_ALLOWED, "online_participant"
    if _needs_signup(checkpoint) and not credential.seated:
        return Result.NOT_ALLOWED, "not_signed_up"
    return None


_row_shapes: dict[tuple, tuple[str, str, list]] = {}


def _row_sql(instance, *, connection, replace: dict[str, str] | None = None):
    """(quoted columns, value placeholders, parameters) of a new model instance; the columns
    named in `replace` take the given SQL expression instead of a parameter. The column and
    placeholder lists are built once per model, vendor and `replace`."""
    replace = replace or {}
    model = type(instance)
    key = (model, connection.vendor, tuple(sorted(replace.items())))
    shape = _row_shapes.get(key)
    if shape is None:
        quote = connection.ops.quote_name
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        shape = (
            ", ".join(quote(field.column) for field in fields),
            ", ".join(replace.get(field.column, "%s") for field in fields),
            [field for field in fields if field.column not in replace],
        )
        _row_shapes[key] = shape
    columns, placeholders, valued = shape
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in valued
    ]
    return columns, placeholders, params


def _inside_now_sql(connection) -> str:
    """The checkpoint's inside-now count as a subquery (parameters: _inside_now_params)."""
    quote = connection.ops.quote_name
    table = quote(CheckIn._meta.db_table)
    return (
        f"(SELECT COUNT(*) FROM {table} WHERE {quote('checkpoint_id')} = %s "  # noqa: S608
        f"AND {quote('day')} = %s AND {quote('checked_out_at')} IS NULL)"
    )


def _inside_now_params(*, checkpoint_id: int, day, connection) -> list:
    return [checkpoint_id, CheckIn._meta.get_field("day").get_db_prep_save(day, connection)]


_statements: dict[tuple[str, str], str] = {}


def _statement(name: str, connection, build) -> str:
    """The SQL text `build()` makes for this vendor, built once per process (the texts only
    depend on the models and the vendor)."""
    key = (name, connection.vendor)
    sql = _statements.get(key)
    if sql is None:
        sql = _statements[key] = build()
    return sql


def _saved(instance, pk: int, *, connection):
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def _statement_guard(connection):
    """A savepoint around a statement that may fail, only inside an outer transaction on
    PostgreSQL (whose transaction an error aborts); in autocommit, as in production, the
    statement is atomic by itself and costs no BEGIN/COMMIT."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        return transaction.atomic(using=connection.alias)
    return contextlib.nullcontext()


class _Replay(Exception):
    """The scan's scan_id is in the log already: the first outcome is the answer."""


def _no_scan_yet_sql(connection) -> str:
    """A condition true unless a scan with the given scan_id (one parameter) is logged."""
    quote = connection.ops.quote_name
    return (
        f"NOT EXISTS (SELECT 1 FROM {quote(Scan._meta.db_table)} "  # noqa: S608 - our own names
        f"WHERE {quote('scan_id')} = %s)"
    )


def _scan_id_param(scan: Scan, *, connection):
    return Scan._meta.get_field("scan_id").get_db_prep_save(scan.scan_id, connection)


def _log_scan(scan: Scan, *, day) -> int:
    """INSERT the scan log row (one statement); returns the checkpoint's inside-now count.

    A scan_id logged before raises _Replay: `ON CONFLICT DO NOTHING` writes nothing and the
    database reports no error (a unique-violation error would put the row's values, names
    included, into the database server's log)."""
    connection = _db()
    columns, placeholders, params = _row_sql(scan, connection=connection)

    def build() -> str:
        quote = connection.ops.quote_name
        return (
            f"INSERT INTO {quote(Scan._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({placeholders}) ON CONFLICT DO NOTHING "
            f"RETURNING {quote(Scan._meta.pk.column)}, {_inside_now_sql(connection)}"
        )

    sql = _statement("log_scan", connection, build)
    count_params = _inside_now_params(
        checkpoint_id=scan.checkpoint_id, day=day, connection=connection
    )
    with _statement_guard(connection), connection.cursor() as cursor:
        cursor.execute(sql, [*params, *count_params])
        row = cursor.fetchone()
    if row is None:
        raise _Replay()
    pk, inside = row
    _saved(scan, pk, connection=connection)
    return inside


def _admit_and_log_pg(*, checkin: CheckIn, scan: Scan, day) -> int | None:
    """PostgreSQL: the check-in and its scan log row in one statement. Returns inside-now,
    or None (nothing written) when the check-in exists already."""
    connection = _db()
    c_columns, c_placeholders, c_params = _row_sql(checkin, connection=connection)
    s_columns, s_placeholders, s_params = _row_sql(
        scan, replace={"checkin_id": "c.id"}, connection=connection
    )

    # Nothing is written for a scan_id logged before (a replay): the check-in's INSERT is
    # conditional on it, and ON CONFLICT without a target also covers the check-in's own
    # unique scan_id, so a replay raises no error in the database (nor in its log).
    def build() -> str:
        quote = connection.ops.quote_name
        return (
            f"WITH c AS (INSERT INTO {quote(CheckIn._meta.db_table)} ({c_columns}) "  # noqa: S608
            f"SELECT {c_placeholders} WHERE {_no_scan_yet_sql(connection)} "
            f"ON CONFLICT DO NOTHING RETURNING id) "
            f"INSERT INTO {quote(Scan._meta.db_table)} ({s_columns}) "
            f"SELECT {s_placeholders} FROM c "
            f"RETURNING {quote(Scan._meta.pk.column)}, {quote('checkin_id')}, "
            f"{_inside_now_sql(connection)}"
        )

    sql = _statement("admit_and_log", connection, build)
    count_params = _inside_now_params(
        checkpoint_id=scan.checkpoint_id, day=day, connection=connection
    )
    scan_id = _scan_id_param(scan, connection=connection)
    with _statement_guard(connection), connection.cursor() as cursor:
        cursor.execute(sql, [*c_params, scan_id, *s_params, *count_params])
        row = cursor.fetchone()
    if row is None:
        return None
    scan_pk, checkin_pk, inside = row
    _saved(checkin, checkin_pk, connection=connection)
    scan.checkin = checkin
    _saved(scan, scan_pk, connection=connection)
    # The count's snapshot was taken before this statement's own check-in.
    return inside + 1


def _admit_and_log_sqlite(*, checkin: CheckIn, scan: Scan, day) -> int | None:
    with transaction.atomic():
        inserted = _insert_checkin(
            credential=checkin.credential,
            checkpoint=checkin.checkpoint,
            day=day,
            scanned_at=checkin.checked_in_at,
            scan_id=checkin.scan_id,
            staff=checkin.staff,
            is_rehearsal=checkin.is_rehearsal,
        )
        if inserted is None:
            return None
        scan.checkin = inserted
        return _log_scan(scan, day=day)


def _existing_checkin(*, credential_id: int, checkpoint_id: int, day):
    """(id, checked_in_at, checked_out_at) of the day's check-in, or None (one statement)."""
    connection = _db()

    def build() -> str:
        quote = connection.ops.quote_name
        return (
            f"SELECT {quote('id')}, {quote('checked_in_at')}, "  # noqa: S608 - our own names
            f"{quote('checked_out_at')} FROM {quote(CheckIn._meta.db_table)} "
            f"WHERE {quote('credential_id')} = %s AND {quote('checkpoint_id')} = %s "
            f"AND {quote('day')} = %s"
        )

    field = CheckIn._meta.get_field("checked_in_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _statement("existing_checkin", connection, build),
            [
                credential_id,
                checkpoint_id,
                CheckIn._meta.get_field("day").get_db_prep_save(day, connection),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    column = field.get_col(CheckIn._meta.db_table)
    converters = connection.ops.get_db_converters(column)
    values = []
    for value in row[1:]:
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return row[0], values[0], values[1]


def _checkout_and_log(*, credential_id: int, checkpoint_id: int, scan: Scan, day, at):
    """Close today's open check-in and log the scan (one statement on PostgreSQL). Returns
    (check-in id, inside-now) or None when no open check-in was closed."""
    connection = _db()
    quote = connection.ops.quote_name
    return _update_and_log(
        set_sql=f"{quote('checked_out_at')} = %s",
        where_sql=(
            f"{quote('credential_id')} = %s AND {quote('checkpoint_id')} = %s "
            f"AND {quote('day')} = %s AND {quote('checked_out_at')} IS NULL"
        ),
        params=[
            CheckIn._meta.get_field("checked_out_at").get_db_prep_save(at, connection),
            credential_id,
            checkpoint_id,
            CheckIn._meta.get_field("day").get_db_prep_save(day, connection),
        ],
        scan=scan,
        day=day,
        delta=-1,
    )


def _reopen_and_log(*, checkin_id: int, scan: Scan, day):
    """A re-entry: reopen the closed check-in and log the scan (one statement on
    PostgreSQL). Returns (check-in id, inside-now) or None when it was reopened meanwhile."""
    connection = _db()
    quote = connection.ops.quote_name
    return _update_and_log(
        set_sql=f"{quote('checked_out_at')} = NULL",
        where_sql=f"{quote('id')} = %s AND {quote('checked_out_at')} IS NOT NULL",
        params=[checkin_id],
        scan=scan,
        day=day,
        delta=1,
    )


def _update_and_log(*, set_sql: str, where_sql: str, params: list, scan: Scan, day, delta: int):
    """`UPDATE check-in SET set_sql WHERE where_sql` (one row) and, if it changed a row, the
    scan logged against it: a data-modifying CTE on PostgreSQL (whose count is the snapshot
    before the update, hence `delta`), two statements in a transaction on SQLite. A scan_id
    logged before changes nothing and raises no error (see _admit_and_log_pg)."""
    connection = _db()
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(CheckIn._meta.db_table)} SET {set_sql} "  # noqa: S608 - our own names
        f"WHERE {where_sql} AND {_no_scan_yet_sql(connection)} RETURNING {quote('id')}"
    )
    params = [*params, _scan_id_param(scan, connection=connection)]
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(update, params)
            row = cursor.fetchone()
            if row is None:
                return None
            scan.checkin_id = row[0]
            return row[0], _log_scan(scan, day=day)
    s_columns, s_placeholders, s_params = _row_sql(
        scan, replace={"checkin_id": "c.id"}, connection=connection
    )
    count_params = _inside_now_params(
        checkpoint_id=scan.checkpoint_id, day=day, connection=connection
    )
    sql = (
        f"WITH c AS ({update}) INSERT INTO {quote(Scan._meta.db_table)} ({s_columns}) "  # noqa: S608
        f"SELECT {s_placeholders} FROM c "
        f"RETURNING {quote(Scan._meta.pk.column)}, {quote('checkin_id')}, "
        f"{_inside_now_sql(connection)}"
    )
    with _statement_guard(connection), connection.cursor() as cursor:
        cursor.execute(sql, [*params, *s_params, *count_params])
        row = cursor.fetchone()
    if row is None:
        return None
    scan_pk, checkin_pk, inside = row
    scan.checkin_id = checkin_pk
    _saved(scan, scan_pk, connection=connection)
    return checkin_pk, inside + delta


def _record_token_scan(
    *,
    congress,
    direction,
    checkpoint,
    token,
    scan_id,
    device_id,
    staff,
    scanned_at,
    now,
    day,
    is_rehearsal,
) -> ScanOutcome:
    """`record_scan` by badge token (entry or exit), in at most four statements (see
    above); anything unexpected (a check-in deleted between two statements) falls back to
    the general path."""
    connection = _db()
    if checkpoint is None or checkpoint.pk is None:
        raise UnknownCheckpoint()
    credential = _scanned_credential(congress=congress, token=token, checkpoint=checkpoint)
    staff = staff if staff is not None and staff.is_authenticated else None
    scan = Scan(
        congress=congress,
        checkpoint=checkpoint,
        credential=credential,
        scan_id=scan_id,
        direction=direction,
        result=Result.OK,
        reason="",
        device_id=device_id[:64],
        staff=staff,
        scanned_at=scanned_at,
        received_at=now,
    )
    general = {
        "congress": congress,
        "checkpoint": checkpoint,
        "token": token,
        "registration_id": None,
        "direction": direction,
        "scan_id": scan_id,
        "device_id": device_id,
        "staff": staff,
        "scanned_at": scanned_at,
        "now": now,
        "day": day,
        "is_rehearsal": is_rehearsal,
    }
    first_at = None
    try:
        refusal = _refusal(credential=credential, checkpoint=checkpoint, direction=direction)
        if refusal is not None:
            scan.result, scan.reason = refusal
            inside = _log_scan(scan, day=day)
        elif direction == Direction.EXIT:
            scan.reason = "checked_out"  # written by the statement below if it closes one
            done = _checkout_and_log(
                credential_id=credential.pk,
                checkpoint_id=checkpoint.pk,
                scan=scan,
                day=day,
                at=scanned_at,
            )
            if done is not None:
                inside = done[1]
            else:
                existing = _existing_checkin(
                    credential_id=credential.pk, checkpoint_id=checkpoint.pk, day=day
                )
                if existing is not None and existing[2] is None:
                    return _record_scan_orm(**general)  # reopened in between: decide again
                scan.result = Result.NOT_ALLOWED
                scan.reason = "not_checked_in" if existing is None else "already_checked_out"
                scan.checkin_id = existing[0] if existing is not None else None
                inside = _log_scan(scan, day=day)
        else:
            checkin = CheckIn(
                credential=credential,
                checkpoint=checkpoint,
                day=day,
                checked_in_at=scanned_at,
                scan_id=scan_id,
                staff=staff,
                is_rehearsal=is_rehearsal,
            )
            admit = (
                _admit_and_log_pg if connection.vendor == "postgresql" else _admit_and_log_sqlite
            )
            inside = admit(checkin=checkin, scan=scan, day=day)
            if inside is None:
                existing = _existing_checkin(
                    credential_id=credential.pk, checkpoint_id=checkpoint.pk, day=day
                )
                if existing is None:
                    if scan_id and (previous := _previous_scan(congress=congress, scan_id=scan_id)):
                        return previous  # a replay of a scan that was refused then
                    return _record_scan_orm(**general)  # deleted in between: decide again
                checkin_pk, first_at, checked_out_at = existing
                reopened = None
                if checked_out_at is not None:  # back in after an exit
                    scan.reason = "re_entry"
                    reopened = _reopen_and_log(checkin_id=checkin_pk, scan=scan, day=day)
                if reopened is not None:
                    inside = reopened[1]
                else:
                    scan.result, scan.reason = Result.ALREADY_CHECKED_IN, ""
                    scan.checkin_id = checkin_pk
                    inside = _log_scan(scan, day=day)
    except (IntegrityError, _Replay):
        # A scan_id seen before: the statement that met it wrote nothing.
        previous = _previous_scan(congress=congress, scan_id=scan_id) if scan_id else None
        if previous is None:
            raise
        return previous
    return ScanOutcome(
        scan=scan,
        registration=credential.registration if credential else None,
        first_checked_in_at=first_at,
        inside_now=inside,
        is_rehearsal=is_rehearsal,
    )
