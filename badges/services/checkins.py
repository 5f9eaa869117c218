"""Scanning: check-in, check-out, the append-only scan log, offline batches, rate limit."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from badges.exceptions import BadgeRevoked, ScanRateLimited, UnknownCheckpoint
from badges.models import CheckIn, Checkpoint, Credential, Scan
from badges.queries import congress_day, inside_now
from badges.rehearsal import is_rehearsal_day
from badges.services.credentials import ensure_credential, entrance_checkpoint
from common.exceptions import ConflictError
from common.ratelimit import Rate, hit
from congress.models import Congress
from registrations.models import Registration
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


def _admit(*, credential, checkpoint, direction, day, scanned_at, scan_id, staff, is_rehearsal):
    """(result, reason, checkin, first_checked_in_at) for an admissible credential."""
    registration = credential.registration
    if not checkpoint.is_active:
        # Its session was cancelled or no longer requires sign-up (offline scans made
        # before that arrive here too: the door is closed now).
        return Result.NOT_ALLOWED, "checkpoint_closed", None, None
    if credential.revoked_at is not None:
        return Result.REVOKED, credential.revoked_reason[:40] or "revoked", None, None
    if registration.status != Registration.Status.CONFIRMED:
        return Result.NOT_ALLOWED, "registration_not_confirmed", None, None
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
