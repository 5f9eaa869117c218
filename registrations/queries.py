"""Read-side querysets for registrations, scoped to a congress first."""

import datetime
from typing import NamedTuple

from django.db import IntegrityError, connections
from django.db.models import Count, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Upper
from django.db.models.lookups import Exact

from common.prepared import CommitPipeline, NextKey, PreparedQuery, rows_together
from congress.models import Congress
from members.models import Membership, Person
from registrations.models import (
    BankStatementImport,
    BankTransferLine,
    CategoryInvitation,
    CountryGroup,
    FeeRule,
    Invoice,
    Payment,
    Question,
    Registration,
    RegistrationCategory,
    RegistrationGroup,
    RegistrationSettings,
    VisaLetterRequest,
)

S = Registration.Status


def seat_holding_q(now: datetime.datetime) -> Q:
    """Registrations that occupy a seat at `now` (an unexpired hold or offer counts)."""
    return (
        Q(status__in=[S.CONFIRMED, S.PENDING_APPROVAL])
        | Q(status=S.PENDING_PAYMENT, hold_expires_at__isnull=True)
        | Q(status=S.PENDING_PAYMENT, hold_expires_at__gt=now)
        | Q(status=S.WAITLISTED, offer_expires_at__gt=now)
    )


def seats_taken(*, category: RegistrationCategory, now: datetime.datetime) -> int:
    return Registration.objects.filter(seat_holding_q(now), category=category).count()


class SeatCounts(NamedTuple):
    taken: int  # registrations holding a seat (seat_holding_q)
    waiting: int  # on the waiting list without a live offer (waiting_without_offer)
    expired: int  # holds and offers expired but not released yet (waitlist.release_expired_locked)


# Placeholders of the prepared queries below (common.prepared): values no real row has.
_ID = -7_000_001
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)

_seat_counts = PreparedQuery(
    lambda category_id, now: (
        # No ordering: the model's ("congress", ...) would join the congress and group by it.
        Registration.objects.filter(category_id=category_id)
        .order_by()
        .values("category")
        .annotate(
            taken=Count("pk", filter=seat_holding_q(now)),
            waiting=Count(
                "pk",
                filter=Q(status=S.WAITLISTED)
                & (Q(offer_expires_at__isnull=True) | Q(offer_expires_at__lte=now)),
            ),
            expired=Count(
                "pk",
                filter=Q(status=S.PENDING_PAYMENT, hold_expires_at__lte=now)
                | Q(status=S.WAITLISTED, offer_expires_at__lte=now),
            ),
        )
        .values_list("taken", "waiting", "expired")
    ),
    category_id=_ID,
    now=_NOW,
)


_NO_SEATS = SeatCounts(taken=0, waiting=0, expired=0)


def seat_counts(*, category: RegistrationCategory, now: datetime.datetime) -> SeatCounts:
    """`seats_taken`, the size of `waiting_without_offer` and the expired holds and offers
    of a category, in one statement (compiled once per connection: the registering
    transaction runs it under the category's lock)."""
    row = _seat_counts.first(category_id=category.pk, now=now)
    return SeatCounts(*row) if row else _NO_SEATS


def waiting_without_offer(*, category: RegistrationCategory, now: datetime.datetime) -> QuerySet:
    """The FIFO waitlist of a category: oldest first, people holding a live offer excluded."""
    return (
        Registration.objects.filter(category=category, status=S.WAITLISTED)
        .exclude(offer_expires_at__gt=now)
        .order_by("waitlisted_at", "id")
    )


_settings = PreparedQuery(
    lambda congress_id: RegistrationSettings.objects.filter(congress_id=congress_id).order_by(),
    congress_id=_ID,
)


def settings_for(*, congress: Congress) -> RegistrationSettings:
    """The congress's registration settings (made with their defaults the first time)."""
    settings = _settings.first(congress_id=congress.pk)
    if settings is None:
        settings, _created = RegistrationSettings.objects.get_or_create(congress=congress)
    return settings


_fee_rules = PreparedQuery(
    # By id: the model's ordering joins four tables, and compute_fee picks a rule by its
    # scope (country group, member rate), unique in a category, not by its place.
    lambda category_id: FeeRule.objects.filter(category_id=category_id).order_by("id"),
    category_id=_ID,
)
_country_groups = PreparedQuery(
    lambda congress_id: CountryGroup.objects.filter(congress_id=congress_id).order_by("id"),
    congress_id=_ID,
)


def fee_inputs(*, category: RegistrationCategory) -> tuple[list[FeeRule], list[CountryGroup]]:
    return _fee_rules.rows(category_id=category.pk), country_groups(congress=category.congress_id)


def country_groups(*, congress: Congress | int) -> list[CountryGroup]:
    congress_id = congress if isinstance(congress, int) else congress.pk
    return _country_groups.rows(congress_id=congress_id)


_locked_category = PreparedQuery(
    # No ordering: the model's ("congress", ...) would join, and so lock, the congress row.
    lambda category_id: (
        RegistrationCategory.objects.select_for_update(no_key=True)
        .filter(pk=category_id)
        .order_by()
    ),
    category_id=_ID,
)


_shared_category = PreparedQuery(
    lambda category_id: RegistrationCategory.objects.filter(pk=category_id).order_by(),
    for_share=True,
    category_id=_ID,
)


def locked_category(*, category_id: int, shared: bool = False) -> RegistrationCategory:
    """The category row, locked until the transaction ends (see
    services.registration.lock_category): `FOR NO KEY UPDATE`, or `FOR SHARE` when
    `shared`; raises DoesNotExist when it is gone."""
    found = (_shared_category if shared else _locked_category).first(category_id=category_id)
    if found is None:
        raise RegistrationCategory.DoesNotExist
    return found


_next_registration_key = NextKey(Registration)


def lock_for_registering(
    *, category_id: int, now: datetime.datetime, shared: bool = False
) -> tuple[RegistrationCategory, SeatCounts, int | None]:
    """In one round trip on PostgreSQL (common.prepared.rows_together), so that the lock's
    holder waits for no reply in between: the next registration key (None elsewhere), the
    category row locked (see `locked_category`: `FOR NO KEY UPDATE`, or `FOR SHARE` when
    `shared`) and, unless `shared`, its seat counts (see `seat_counts`), counted once the
    lock is granted. Raises DoesNotExist when the category is gone."""
    queries = [
        (_next_registration_key, {}),
        (_shared_category if shared else _locked_category, {"category_id": category_id}),
    ]
    if not shared:
        queries.append((_seat_counts, {"category_id": category_id, "now": now}))
    key, locked, *counted = rows_together(*queries)
    if not locked:
        raise RegistrationCategory.DoesNotExist
    rows = counted[0] if counted else []  # no row either when nothing is registered in it
    return locked[0], SeatCounts(*rows[0]) if rows else _NO_SEATS, key[0][0]


_lock_for_the_insert = PreparedQuery(
    # The category locked as `_locked_category` locks it; only its key is read.
    lambda category_id: (
        RegistrationCategory.objects.select_for_update(no_key=True)
        .filter(pk=category_id)
        .order_by()
        .values_list("pk")
    ),
    category_id=_ID,
)


def _cast(field, connection) -> str:
    return f"CAST(%s AS {field.cast_db_type(connection)})"


def send_registration_deciding_seat(
    pipeline: CommitPipeline,
    *,
    seat: Registration,
    waitlisted: Registration,
    category: RegistrationCategory,
    now: datetime.datetime,
    then,
) -> None:
    """Send, to go with the COMMIT (`pipeline.sends` must be true), the category's lock and
    one INSERT of the registration that decides in the database, once the lock is granted,
    between its two prepared forms: `seat` if a seat is free, else `waitlisted` (the same
    registration with the waiting list's fields). So no reply reaches the client while the
    category is locked: the lock is held only while the database runs the two statements
    and the COMMIT.

    The INSERT counts the seats with `seat_counts`' statement (run after the lock, it sees
    what the lock's previous holder committed) and applies `_seat_is_free`'s rule
    (services.registration): nobody waiting without an offer, and one more seat within the
    capacity. It is guarded: every column of the locked category must still hold the value
    of `category` (the row the caller decided everything else with: open, access, price,
    capacity), and no hold or offer may have expired unreleased. When the guard fails the
    status is NULL, the INSERT fails on its NOT NULL, and the whole transaction is rolled back
    (see `is_seat_guard`): the caller then registers the person the ordinary way.

    `then(key, status, locked_at)` is called once the COMMIT has answered: the new row's key,
    the status chosen and when the lock was granted, by the database's clock (the INSERT's
    `statement_timestamp()`: the server reads the INSERT as soon as the lock statement has
    finished, since both were sent at once)."""
    connection = connections[pipeline.alias]
    fields = [field for field in Registration._meta.concrete_fields if not field.primary_key]
    # The fields whose value the outcome chooses: the status, and those the two forms differ in.
    chosen = frozenset(
        {"status"}
        | {
            field.attname
            for field in fields
            if getattr(seat, field.attname) != getattr(waitlisted, field.attname)
        }
    )
    params = []
    for field in fields:
        params.append(field.get_db_prep_save(getattr(seat, field.attname), connection))
        if field.attname in chosen:
            params.append(field.get_db_prep_save(getattr(waitlisted, field.attname), connection))
    guard_params = [
        field.get_db_prep_value(getattr(category, field.attname), connection)
        for field in RegistrationCategory._meta.concrete_fields
        if not field.primary_key
    ]
    _counts_sql, counts_params = _seat_counts.compiled(connection, category_id=category.pk, now=now)
    lock_sql, lock_params = _lock_for_the_insert.compiled(connection, category_id=category.pk)
    pipeline.send(lock_sql, lock_params)
    pipeline.send(
        _deciding_insert_sql(connection, fields, chosen),
        [*params, *guard_params, category.pk, *counts_params],
        then=lambda rows: then(*rows[0]),
    )


# The SQL of `send_registration_deciding_seat` by database and fields chosen by the outcome:
# built once, only its values change from one registration to the next.
_deciding_sql: dict[tuple[str, frozenset[str]], str] = {}


def _deciding_insert_sql(connection, fields: list, chosen: frozenset[str]) -> str:
    found = _deciding_sql.get((connection.alias, chosen))
    if found is not None:
        return found
    quote = connection.ops.quote_name
    guards = [
        f"c.{quote(field.column)} IS NOT DISTINCT FROM {_cast(field, connection)}"
        for field in RegistrationCategory._meta.concrete_fields
        if not field.primary_key
    ]
    guard_sql = (
        "SELECT (c.id IS NOT NULL AND COALESCE(n.expired, 0) = 0 AND "  # noqa: S608 - our names
        + " AND ".join(guards)
        + ") AS ok, (COALESCE(n.waiting, 0) = 0 AND COALESCE(n.taken, 0) + 1 <= c.capacity)"
        f" AS seat FROM (SELECT CAST(%s AS bigint) AS id) want LEFT JOIN"
        f" {quote(RegistrationCategory._meta.db_table)} c ON c.id = want.id"
        f" LEFT JOIN ({_seat_counts.sql(using=connection.alias)}) n (taken, waiting, expired)"
        " ON true"
    )
    values = []
    for field in fields:
        cast = _cast(field, connection)
        if field.attname == "status":
            # NULL (refused by NOT NULL: everything rolled back) when the guard fails.
            values.append(f"CASE WHEN g.ok AND g.seat THEN {cast} WHEN g.ok THEN {cast} END")
        elif field.attname in chosen:
            values.append(f"CASE WHEN g.seat THEN {cast} ELSE {cast} END")
        else:
            values.append(cast)
    sql = (
        f"INSERT INTO {quote(Registration._meta.db_table)} "  # noqa: S608 - our own names
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"SELECT {', '.join(values)} FROM ({guard_sql}) g "
        f"RETURNING {quote(Registration._meta.pk.column)}, "
        f"{quote(Registration._meta.get_field('status').column)}, "
        "statement_timestamp()"
    )
    _deciding_sql[(connection.alias, chosen)] = sql
    return sql


def is_seat_guard(error: IntegrityError) -> bool:
    """Whether `error` is the guard of `send_registration_deciding_seat` failing (the
    category changed, or holds expired unreleased), not a real constraint."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return (
        getattr(cause, "sqlstate", None) == "23502"  # not_null_violation
        and diag.table_name == Registration._meta.db_table
        and diag.column_name == Registration._meta.get_field("status").column
    )


def public_categories_with_fees(
    *, congress: Congress, now: datetime.datetime, access_code: str = ""
) -> list[RegistrationCategory]:
    """The open public categories (and hidden ones whose code is given), each with its fee
    rules and questions prefetched: the API's category list in two queries."""
    return list(
        open_categories(congress=congress, now=now, access_code=access_code).prefetch_related(
            "fee_rules"
        )
    )


def is_member_of_network(*, organisation_id: int | None, congress: Congress) -> bool:
    """Member rate: the organisation holds an active membership in the congress's network."""
    if organisation_id is None or congress.network_id is None:
        return False
    return Membership.objects.filter(
        organisation_id=organisation_id,
        network_id=congress.network_id,
        status=Membership.Status.ACTIVE,
    ).exists()


_person_by_email = PreparedQuery(
    # UPPER() on both sides, as `iexact` compiles on PostgreSQL, on every database: the
    # index on UPPER(email) (members.Person) finds the person without reading the table.
    lambda email: Person.objects.filter(Exact(Upper("email"), Upper(Value(email)))).order_by("id")[
        :1
    ],
    email="prepared%_email",
)


def person_by_email(*, email: str) -> Person | None:
    """The oldest person with this address, case-insensitively."""
    return _person_by_email.first(email=email.strip())


def public_access_q() -> Q:
    """Categories anyone may register in (see RegistrationCategory.effective_access)."""
    Access = RegistrationCategory.Access
    return Q(access=Access.PUBLIC) | (
        Q(access=Access.BY_KIND) & ~Q(kind__in=RegistrationCategory.INVITATION_KINDS)
    )


def open_categories(
    *, congress: Congress, now: datetime.datetime, access_code: str = ""
) -> QuerySet:
    """Categories open now to the public, plus the hidden ones whose access code is given."""
    visible = public_access_q()
    code = access_code.strip().upper()
    if code:
        visible |= Q(access=RegistrationCategory.Access.ACCESS_CODE, access_code=code)
    return (
        RegistrationCategory.objects.filter(congress=congress)
        .filter(visible)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("position", "name")
    )


_questions = PreparedQuery(
    # The model's order within one congress, without joining the congress to sort by it.
    lambda congress_id: Question.objects.filter(congress_id=congress_id).order_by(
        "position", "code"
    ),
    congress_id=_ID,
)


def questions_for(*, congress: Congress, category: RegistrationCategory | None = None) -> list:
    """The congress's questions (their categories prefetched); only those asked in `category`
    when one is given."""
    questions = _questions.rows(congress_id=congress.pk)
    if questions:
        prefetch_related_objects(questions, "categories")
    if category is None:
        return questions
    return questions_for_category(questions=questions, category=category)


def questions_for_category(
    *, questions: list[Question], category: RegistrationCategory
) -> list[Question]:
    """The questions asked in `category`, from questions loaded with their categories (a
    question without categories is asked in every one)."""
    asked = []
    for question in questions:
        category_ids = {item.pk for item in question.categories.all()}
        if not category_ids or category.pk in category_ids:
            asked.append(question)
    return asked


def registrations_for_staff(*, congress: Congress, include_protected: bool) -> QuerySet:
    """Registrations of one congress for staff lists; protected people only for organisers."""
    queryset = Registration.objects.filter(congress=congress).select_related(
        "person", "person__organisation", "category", "voucher", "group"
    )
    if not include_protected:
        queryset = queryset.filter(is_protected=False)
    return queryset.order_by("created_at", "id")


def search_registrations(queryset: QuerySet, *, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(person__name__icontains=text)
        | Q(person__latin_name__icontains=text)
        | Q(person__email__icontains=text)
        | Q(person__organisation__name__icontains=text)
        | Q(payment_reference__iexact=text)
    )


def payments_awaiting_stripe(*, older_than: datetime.datetime) -> QuerySet:
    return Payment.objects.filter(
        method=Payment.Method.CARD,
        status=Payment.Status.PENDING,
        created_at__lte=older_than,
    ).exclude(stripe_checkout_session_id="")


def bank_lines_to_review(*, congress: Congress) -> QuerySet:
    return (
        BankTransferLine.objects.filter(congress=congress, is_reviewed=False)
        .exclude(outcome=BankTransferLine.Outcome.MATCHED)
        .select_related("registration__person", "group", "statement")
        .order_by("booked_on", "id")
    )


def recent_bank_imports(*, congress: Congress, limit: int = 10) -> QuerySet:
    return (
        BankStatementImport.objects.filter(congress=congress)
        .defer("content", "layout", "line_errors")
        .order_by("-created_at", "-id")[:limit]
    )


def visa_requests(*, congress: Congress) -> QuerySet:
    return (
        VisaLetterRequest.objects.filter(registration__congress=congress)
        .select_related("registration__person", "registration__category")
        .order_by("created_at", "id")
    )


def invoices_of(*, registration: Registration) -> QuerySet:
    """The invoices and credit notes of a registration (its own, not its delegation's)."""
    return Invoice.objects.filter(registration=registration).order_by("number")


def invoices_of_group(*, group: RegistrationGroup) -> QuerySet:
    """The invoices and credit notes made out to a delegation (one per payer, the group)."""
    return Invoice.objects.filter(group=group).order_by("number")


def invoices_for_congress(*, congress: Congress) -> QuerySet:
    return (
        Invoice.objects.filter(congress=congress)
        .select_related("registration__person", "group", "credited_invoice")
        .order_by("-number")
    )


def delegates_of_group(*, group: RegistrationGroup) -> QuerySet:
    """A delegation's delegates, oldest first, with what their rows show."""
    return (
        Registration.objects.filter(congress_id=group.congress_id, group=group)
        .select_related("person")
        .order_by("created_at", "id")
    )


def invitations_for(*, congress: Congress) -> QuerySet:
    return (
        CategoryInvitation.objects.filter(congress=congress)
        .select_related("category", "registration__person")
        .order_by("-created_at", "-id")
    )
