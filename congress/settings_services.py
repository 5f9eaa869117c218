"""Writes behind the organiser's settings pages (tracks, rooms, categories, country groups,
vouchers, questions, calls...): save, delete and reorder a congress's own objects.

Every function takes the congress the page was opened for and refuses an object of another
congress, so a forged id never reaches a row outside it. Each write leaves an audit row
(`settings.saved`, `settings.deleted`, `settings.reordered`) with ids only.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError
from congress.models import Congress
from congress.services import record_audit


class ForeignObject(DomainError):
    """An id that does not belong to this congress (a forged form, or another congress's)."""

    code = "foreign_object"
    default_message = _("This choice does not belong to this congress.")


class StillInUse(ConflictError):
    code = "still_in_use"
    default_message = _(
        "%(name)s cannot be deleted: registrations, sessions or other records still use it."
    )

    def __init__(self, *, name: str) -> None:
        super().__init__(str(self.default_message) % {"name": name}, name=name)


def unique_code(
    *, queryset: models.QuerySet, field: str, text: str, fallback: str, max_length: int = 50
) -> str:
    """A slug for `text` that no row of `queryset` uses in `field` ("drug-policy", "-2"...).

    Names in Arabic or other non-Latin scripts slugify to nothing; `fallback` is used then.
    Organisers never type these codes: they only keep URLs and exports stable.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = slugify(ascii_text)[: max_length - 4].strip("-") or fallback
    taken = set(queryset.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def save_settings_object(
    *,
    instance: models.Model,
    congress: Congress,
    actor: AbstractBaseUser | AnonymousUser | None,
    many_to_many: dict[str, Iterable] | None = None,
    owner: str = "congress",
) -> models.Model:
    """Save `instance` as an object of `congress` (its `owner` field set to the congress).

    `owner` names the foreign key that ties the model to its congress ("congress", or for an
    object owned through another one, such as a fee rule, a path like "category__congress" that
    is only checked). Raises ForeignObject when the instance, or any foreign key it points to
    that has a `congress_id`, belongs to another congress.
    """
    if owner == "congress":
        if instance.pk and getattr(instance, "congress_id", congress.pk) != congress.pk:
            raise ForeignObject
        instance.congress = congress
    _check_relations(instance, congress)
    with transaction.atomic():
        is_new = instance.pk is None
        instance.save()
        for name, values in (many_to_many or {}).items():
            values = list(values)
            _check_many(values, congress)
            getattr(instance, name).set(values)
        record_audit(
            action="settings.saved",
            congress=congress,
            actor=actor,
            target=instance,
            detail={"created": is_new},
        )
    return instance


def _congress_of(obj: models.Model) -> int | None:
    if hasattr(obj, "congress_id"):
        return obj.congress_id
    return None


def _check_relations(instance: models.Model, congress: Congress) -> None:
    for field in instance._meta.concrete_fields:
        if not field.is_relation or field.name == "congress":
            continue
        related = getattr(instance, field.name, None)
        if related is not None and _congress_of(related) not in (None, congress.pk):
            raise ForeignObject


def _check_many(values: list, congress: Congress) -> None:
    if any(_congress_of(value) not in (None, congress.pk) for value in values):
        raise ForeignObject


def delete_settings_object(
    *,
    queryset: models.QuerySet,
    pk: int,
    congress: Congress,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> None:
    """Delete one object of `queryset` (already scoped to `congress`).

    Raises ForeignObject when `pk` is not in it and StillInUse when records depend on it
    (registrations of a category, sessions in a room...): those are never deleted with it.
    """
    instance = queryset.filter(pk=pk).first()
    if instance is None:
        raise ForeignObject
    try:
        with transaction.atomic():
            label = instance._meta.label_lower
            instance.delete()
            record_audit(
                action="settings.deleted",
                congress=congress,
                actor=actor,
                detail={"model": label, "id": pk},
            )
    except ProtectedError:
        raise StillInUse(name=str(instance)) from None


def reorder_settings_objects(
    *,
    queryset: models.QuerySet,
    ordered_ids: list[int],
    congress: Congress,
    actor: AbstractBaseUser | AnonymousUser | None,
    field: str = "position",
) -> list[int]:
    """Number the objects of `queryset` (scoped to `congress`) in the order of `ordered_ids`.

    Every id must belong to the queryset (else ForeignObject, nothing changes); objects left
    out keep their relative order after the listed ones. Returns the ids in their new order.
    """
    current = list(queryset.order_by(field, "pk").values_list("pk", flat=True))
    if not set(ordered_ids) <= set(current) or len(set(ordered_ids)) != len(ordered_ids):
        raise ForeignObject
    order = [*ordered_ids, *(pk for pk in current if pk not in set(ordered_ids))]
    with transaction.atomic():
        rows = list(queryset.select_for_update().filter(pk__in=order))
        by_pk = {row.pk: row for row in rows}
        for position, pk in enumerate(order):
            setattr(by_pk[pk], field, position)
        queryset.model.objects.bulk_update(rows, [field])
        record_audit(
            action="settings.reordered",
            congress=congress,
            actor=actor,
            detail={"model": queryset.model._meta.label_lower, "ids": order},
        )
    return order


def parse_ids(values: Iterable[str]) -> list[int]:
    """Integer ids from a posted list, refusing anything else with ForeignObject."""
    ids = []
    for value in values:
        if not re.fullmatch(r"\d{1,12}", str(value)):
            raise ForeignObject
        ids.append(int(value))
    return ids


def update_congress_settings(
    *,
    congress: Congress,
    actor: AbstractBaseUser | AnonymousUser | None,
    venue_name: str,
    venue_address: str,
) -> Congress:
    """Save the general settings already set on `congress` and its venue.

    The venue is edited in place only when no other congress shares it (a cloned edition
    keeps its own copy once it is changed); an empty venue name detaches the venue.
    """
    from congress.models import Venue

    with transaction.atomic():
        venue = congress.venue
        if not venue_name:
            congress.venue = None
        elif venue is None or venue.congresses.exclude(pk=congress.pk).exists():
            congress.venue = Venue.objects.create(
                name=venue_name,
                address=venue_address,
                city=congress.city,
                country=congress.country,
            )
        else:
            venue.name, venue.address = venue_name, venue_address
            venue.city, venue.country = congress.city, congress.country
            venue.save()
        congress.full_clean(exclude=["slug"])
        congress.save()
        record_audit(action="congress.settings_saved", congress=congress, actor=actor)
    return congress


def unique_value(text: str, taken: set[str]) -> str:
    """A short machine value for a question's choice, not in `taken` ("yes", "choice-2")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = slugify(ascii_text)[:40].strip("-") or "choice"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
