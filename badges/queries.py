"""Read-side queries of the badges app (badge rows, scan log, inside-now counts, search)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from badges.models import CheckIn, Checkpoint, Credential, Scan
from badges.rendering import BadgeData
from congress.models import Congress, CongressRole
from registrations.models import Registration, RegistrationCategory

SORTS = ("surname", "organisation", "country")

_BADGE_FIELDS = (
    "pk",
    "token",
    "registration_id",
    "registration__person__name",
    "registration__person__latin_name",
    "registration__person__organisation__name",
    "registration__person__country",
    "registration__person__preferred_language",
    "registration__category_id",
    "registration__category__name",
    "registration__category__kind",
    "registration__category__colour",
    "registration__is_protected",
    "registration__badge_display_name",
    "registration__hide_organisation_on_badge",
)


def active_credentials(*, congress: Congress) -> QuerySet[Credential]:
    """Active credentials of the congress's confirmed registrations."""
    return Credential.objects.filter(
        registration__congress=congress,
        registration__status=Registration.Status.CONFIRMED,
        revoked_at__isnull=True,
    )


def _surname_key(latin_name: str, name: str) -> tuple[str, str]:
    words = (latin_name or name).split()
    return ((words[-1] if words else "").casefold(), (latin_name or name).casefold())


def _badge_from_row(row: dict) -> BadgeData:
    role = str(RegistrationCategory.Kind(row["registration__category__kind"]).label)
    name = row["registration__person__name"]
    latin_name = row["registration__person__latin_name"]
    organisation = row["registration__person__organisation__name"] or ""
    display_name = row["registration__badge_display_name"]
    if row["registration__is_protected"] and display_name:
        name, latin_name = display_name, ""
    if row["registration__hide_organisation_on_badge"]:
        organisation = ""
    return BadgeData(
        registration_id=row["registration_id"],
        token=row["token"],
        name=name,
        latin_name=latin_name,
        organisation=organisation,
        country=str(row["registration__person__country"] or ""),
        category_id=row["registration__category_id"],
        category=row["registration__category__name"],
        role=role,
        language=row["registration__person__preferred_language"],
        colour=row["registration__category__colour"],
    )


def badge_rows(
    *,
    congress: Congress,
    sort: str = "surname",
    registration_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    organisation_ids: Iterable[int] | None = None,
    countries: Iterable[str] | None = None,
) -> Iterator[BadgeData]:
    """Badges of the congress's active credentials, filtered and sorted for distribution;
    without `registration_ids`, none of online categories (remote participants).

    One query. Rows are light tuples (no model instances) so thousands fit in little memory;
    they are sorted in Python because the surname is the last word of the Latin name.
    """
    queryset = active_credentials(congress=congress)
    if registration_ids is not None:
        queryset = queryset.filter(registration_id__in=list(registration_ids))
    else:
        # Remote participants (online categories) get no printed badge in bulk runs; their
        # own badge (chosen by id) still renders, for the QR on their private page.
        queryset = queryset.exclude(registration__category__is_online=True)
    if category_ids:
        queryset = queryset.filter(registration__category_id__in=list(category_ids))
    if organisation_ids:
        queryset = queryset.filter(registration__person__organisation_id__in=list(organisation_ids))
    if countries:
        queryset = queryset.filter(registration__person__country__in=list(countries))
    rows = list(queryset.values(*_BADGE_FIELDS).iterator(chunk_size=2000))

    def key(row: dict):
        surname = _surname_key(
            row["registration__person__latin_name"], row["registration__person__name"]
        )
        if sort == "organisation":
            return ((row["registration__person__organisation__name"] or "").casefold(), surname)
        if sort == "country":
            return (str(row["registration__person__country"] or ""), surname)
        return surname

    rows.sort(key=key)
    return (_badge_from_row(row) for row in rows)


def congress_day(*, congress: Congress, moment: datetime.datetime) -> datetime.date:
    """The date of `moment` in the congress's time zone."""
    return timezone.localtime(moment, congress.tzinfo).date()


def inside_now(*, checkpoint_id: int, day: datetime.date) -> int:
    """People checked in at the checkpoint on `day` and not checked out since."""
    return CheckIn.objects.filter(
        checkpoint_id=checkpoint_id, day=day, checked_out_at__isnull=True
    ).count()


def _holds_role(*, user, roles: tuple[str, ...], congress_ref: str):
    """Expression: `user` holds one of `roles` in the congress the outer query names in
    `congress_ref` (False for anonymous)."""
    if not (user and user.is_authenticated):
        return Value(False, output_field=BooleanField())
    return Exists(
        CongressRole.objects.filter(
            congress=OuterRef(congress_ref), user_id=user.pk, role__in=roles
        )
    )


# What scanning reads of the congress (the time zone decides the congress day, the status
# whether outsiders get 404); the other columns (descriptions, translations, settings)
# would be fetched and decoded on every scan.
_SCANNING_CONGRESS_FIELDS = (
    "congress__slug",
    "congress__name",
    "congress__timezone",
    "congress__status",
    # The congress's days decide whether a scan is a rehearsal (badges.rehearsal).
    "congress__starts_on",
    "congress__ends_on",
)


def scanning_context(
    *, slug: str, user, roles: tuple[str, ...]
) -> tuple[Congress | None, Checkpoint | None, bool]:
    """(congress, its entrance checkpoint, whether `user` holds one of `roles` there).

    One query when the entrance exists (the checkpoint with its congress and the role
    check as an EXISTS subquery), two when it does not exist yet. The congress is None when
    no congress has that slug. The role flag is the raw database answer; active-user and
    superuser rules stay with the caller (as in `congress.permissions`).
    """
    entrance = _only(
        Checkpoint.objects.select_related("congress")
        .only(*_SCANNING_CONGRESS_FIELDS, *(field.name for field in Checkpoint._meta.fields))
        .filter(congress__slug=slug, kind=Checkpoint.Kind.ENTRANCE)
        .annotate(holds_role=_holds_role(user=user, roles=roles, congress_ref="congress_id"))
    )
    if entrance is not None:
        return entrance.congress, entrance, entrance.holds_role
    congress = _only(
        Congress.objects.filter(slug=slug).annotate(
            holds_role=_holds_role(user=user, roles=roles, congress_ref="pk")
        )
    )
    return congress, None, bool(congress and congress.holds_role)


def _only(queryset):
    """The single row of a query on a unique key, or None (no ORDER BY, LIMIT 1)."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def scanner_checkpoints(*, congress: Congress) -> QuerySet[Checkpoint]:
    """The checkpoints a scanner may choose: the congress's active ones, entrance first."""
    return Checkpoint.objects.filter(congress=congress, is_active=True).order_by("kind", "name")


def checkpoints_with_counts(*, congress: Congress, day: datetime.date) -> QuerySet[Checkpoint]:
    """Checkpoints of the congress annotated with `inside_now` and `checked_in_today`."""
    return (
        Checkpoint.objects.filter(congress=congress)
        .select_related("session")
        .annotate(
            inside_now=Count(
                "checkins",
                filter=Q(checkins__day=day, checkins__checked_out_at__isnull=True),
            ),
            checked_in_today=Count("checkins", filter=Q(checkins__day=day)),
        )
        .order_by("kind", "name")
    )


def scan_log(*, congress: Congress) -> QuerySet[Scan]:
    """The congress's scans, newest first, with what a log row shows."""
    return Scan.objects.filter(congress=congress).select_related(
        "checkpoint",
        "staff",
        "credential__registration__person__organisation",
        "credential__registration__category",
    )


def search_registrations(*, congress: Congress, query: str, limit: int = 20) -> list[Registration]:
    """Confirmed registrations whose name, Latin name, display name or organisation match."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    matches = (
        Q(person__name__icontains=query)
        | Q(person__latin_name__icontains=query)
        | Q(badge_display_name__icontains=query)
        | Q(person__organisation__name__icontains=query, hide_organisation_on_badge=False)
    )
    # A protected participant is found only by the name printed on their badge.
    protected_matches = Q(is_protected=True, badge_display_name__icontains=query)
    queryset = (
        Registration.objects.filter(congress=congress, status=Registration.Status.CONFIRMED)
        .filter((Q(is_protected=False) & matches) | protected_matches)
        .select_related("person__organisation", "category")
        .order_by("person__latin_name", "person__name", "pk")
    )
    return list(queryset[:limit])


def held_revocations(*, congress: Congress) -> list[Credential]:
    """The revoked credentials holding a registration's badge (see
    `badges.services.credentials.revocation_hold`), latest revocation first. One query."""
    from badges.services.credentials import RELEASING_REASONS

    rows = (
        Credential.objects.filter(registration__congress=congress)
        .exclude(
            Exists(
                Credential.objects.filter(
                    registration=OuterRef("registration"), revoked_at__isnull=True
                )
            )
        )
        .select_related("registration__person__organisation", "registration__category")
        .order_by("registration_id", "-issued_at", "-pk")
    )
    latest: dict[int, Credential] = {}
    for credential in rows:
        latest.setdefault(credential.registration_id, credential)
    held = [
        credential
        for credential in latest.values()
        if credential.revoked_reason not in RELEASING_REASONS
        and credential.registration.status == Registration.Status.CONFIRMED
    ]
    return sorted(held, key=lambda credential: credential.revoked_at, reverse=True)


def congress_checkpoints(*, congress: Congress) -> QuerySet[Checkpoint]:
    """Every checkpoint of the congress with its session or room (one query): the entrance,
    then room doors, then session doors, each by name."""
    return (
        Checkpoint.objects.filter(congress=congress)
        .select_related("session", "room")
        .order_by("kind", "name", "pk")
    )
