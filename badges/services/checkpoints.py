"""Door checkpoints as organisers set them up: adding the entrance or a room's door, and the
per-door settings (active, open to all, names in the offline list)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction

from badges.exceptions import CheckpointExists
from badges.models import Checkpoint
from congress.models import Congress
from congress.services import record_audit
from sessions.models import Room

Actor = AbstractBaseUser | AnonymousUser | None


def add_checkpoint(
    *, congress: Congress, kind: str, room: Room | None = None, actor: Actor = None
) -> Checkpoint:
    """Add the congress's entrance or a room's door (named after the room).

    Session doors are not added here: the programme keeps one per session that needs a
    sign-up (`sync_session_checkpoint`). Raises CheckpointExists when the congress has an
    entrance already or the room has a door (the unique constraints decide a race), and
    ValueError for a room of another congress or another kind. Writes an audit row.
    """
    kind = Checkpoint.Kind(kind)
    if kind == Checkpoint.Kind.ROOM:
        if room is None or room.congress_id != congress.pk:
            raise ValueError("a room door needs a room of this congress")
        fields = {"kind": kind, "room": room, "name": room.name[:200]}
    elif kind == Checkpoint.Kind.ENTRANCE:
        fields = {"kind": kind, "name": "Entrance"}  # as the first scan names it
    else:
        raise ValueError("session doors follow their sessions")
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(congress=congress, **fields)
            record_audit(
                action="badges.checkpoint_added",
                congress=congress,
                actor=actor,
                target=checkpoint,
                detail={"kind": kind.value, "room": room.pk if room else None},
            )
    except IntegrityError as error:
        raise CheckpointExists() from error
    return checkpoint


SETTINGS = ("is_active", "is_open_to_all", "offline_list_shows_names")


def update_checkpoint_settings(
    *,
    checkpoint: Checkpoint,
    is_active: bool,
    is_open_to_all: bool,
    offline_list_shows_names: bool,
    actor: Actor = None,
) -> Checkpoint:
    """Change a door's settings; returns the checkpoint.

    `is_open_to_all` means something only at a session door (the entrance and room doors
    admit every confirmed participant), and a session door's `is_active` follows its
    session (cancelled or no sign-up: closed), so both are kept as they are elsewhere.
    Scanners see the change on their next scan or offline-list sync (the scan cache is
    bumped by badges.receivers). Writes an audit row naming the settings that changed.
    """
    is_session_door = checkpoint.kind == Checkpoint.Kind.SESSION
    wanted = {
        "is_active": checkpoint.is_active if is_session_door else is_active,
        "is_open_to_all": is_open_to_all if is_session_door else checkpoint.is_open_to_all,
        "offline_list_shows_names": offline_list_shows_names,
    }
    changed = {name: value for name, value in wanted.items() if getattr(checkpoint, name) != value}
    if not changed:
        return checkpoint
    with transaction.atomic():
        for name, value in changed.items():
            setattr(checkpoint, name, value)
        checkpoint.save(update_fields=list(changed))
        record_audit(
            action="badges.checkpoint_changed",
            congress=checkpoint.congress,
            actor=actor,
            target=checkpoint,
            detail=changed,
        )
    return checkpoint
