"""Cloning a congress into a new edition: a registry the apps above `congress` fill.

`congress` sits below the apps whose objects a new edition copies (categories and fees,
rooms, calls, badge templates), so each app registers its own copier from its
AppConfig.ready(), as menu links are registered:

    register_cloner(key="programme", copy=copy_programme, order=20, label=_("Rooms"))

`clone_congress_contents` runs every copier in `order` inside the caller's transaction. A
copier receives a `CloneContext`: the source and the new congress, the date offset to apply
to every copied date and time, the options the organiser chose, and `copied`, where each
copier records old id -> new object for the objects later copiers point at (tracks, rooms,
categories, country groups). The congress app's own copier (tracks) runs first.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise

from congress.models import Congress, Track


@dataclass
class CloneContext:
    source: Congress
    target: Congress
    offset: datetime.timedelta
    include_vouchers: bool = False
    # "<app_label>.<model_name>" -> {old pk: new object}
    copied: dict[str, dict[int, models.Model]] = field(default_factory=dict)
    # key of the copier -> how many objects it copied (shown to the organiser)
    counts: dict[str, int] = field(default_factory=dict)

    def shift(self, value):
        """A date or datetime moved by the offset; None stays None."""
        return None if value is None else value + self.offset

    def new(self, model: type[models.Model], old_pk: int | None) -> models.Model | None:
        """The copy of `model` row `old_pk`, or None when it was not copied."""
        if old_pk is None:
            return None
        return self.copied.get(model._meta.label_lower, {}).get(old_pk)


@dataclass(frozen=True)
class Cloner:
    key: str
    copy: Callable[[CloneContext], int]
    label: str | Promise
    order: int = 100


_cloners: dict[str, Cloner] = {}


def register_cloner(
    *, key: str, copy: Callable[[CloneContext], int], label: str | Promise, order: int = 100
) -> None:
    """Register `copy(context) -> number of objects copied` under `key` (idempotent)."""
    _cloners[key] = Cloner(key=key, copy=copy, label=label, order=order)


def registered_cloners() -> list[Cloner]:
    return sorted(_cloners.values(), key=lambda cloner: (cloner.order, cloner.key))


def copy_rows(
    context: CloneContext,
    rows: Iterable[models.Model],
    *,
    shift: tuple[str, ...] = (),
    remap: dict[str, type[models.Model]] | None = None,
    reset: dict[str, object] | None = None,
) -> list[models.Model]:
    """Copy `rows` into the target congress and record old pk -> copy in `context.copied`.

    Every concrete field is copied except the primary key; `congress` points at the target;
    fields in `shift` move by the offset; foreign keys in `remap` (field -> model) point at
    the copy of their old target (None when it was not copied); `reset` sets fixed values.
    Many-to-many relations are the caller's to copy (after this returns).
    """
    remap = remap or {}
    reset = reset or {}
    copies = []
    for row in rows:
        old_pk = row.pk
        copy = type(row)()
        for model_field in row._meta.concrete_fields:
            if model_field.primary_key:
                continue
            name = model_field.attname
            value = getattr(row, name)
            if model_field.name == "congress":
                value = context.target.pk
            elif model_field.name in remap:
                target = context.new(remap[model_field.name], value)
                value = target.pk if target is not None else None
            elif model_field.name in shift:
                value = context.shift(value)
            elif model_field.name in reset:
                value = reset[model_field.name]
            setattr(copy, name, value)
        copy.save(force_insert=True)
        context.copied.setdefault(row._meta.label_lower, {})[old_pk] = copy
        copies.append(copy)
    return copies


def copy_tracks(context: CloneContext) -> int:
    return len(copy_rows(context, Track.objects.filter(congress=context.source)))


register_cloner(key="tracks", copy=copy_tracks, label=Track._meta.verbose_name_plural, order=0)


def clone_congress_contents(context: CloneContext) -> dict[str, int]:
    """Run every registered copier in order; returns {key: objects copied}. Runs in the
    caller's transaction (the congress creation), so a failing copier leaves nothing."""
    for cloner in registered_cloners():
        context.counts[cloner.key] = cloner.copy(context)
    return context.counts
