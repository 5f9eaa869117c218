"""Hotel rooms: requests, allocation by hand or automatically, never over the block."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration
from travel.exceptions import NoRoomAvailable
from travel.models import (
    AccommodationRequest,
    Award,
    CostType,
    RoomAllocation,
    RoomOccupant,
    RoomType,
)


def save_accommodation_request(
    *,
    registration: Registration,
    first_night: datetime.date,
    last_night: datetime.date,
    sharing: str,
    share_with: str = "",
    gender: str = "",
) -> AccommodationRequest:
    request, _created = AccommodationRequest.objects.update_or_create(
        registration=registration,
        defaults={
            "first_night": first_night,
            "last_night": last_night,
            "sharing": sharing,
            "share_with": share_with.strip()[:200],
            "gender": gender,
        },
    )
    return request


def _nights(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]


def _rooms_taken(room_type: RoomType) -> dict[datetime.date, int]:
    taken: dict[datetime.date, int] = defaultdict(int)
    for first, last in room_type.allocations.values_list("first_night", "last_night"):
        for night in _nights(first, last):
            taken[night] += 1
    return taken


def _fits(room_type: RoomType, first: datetime.date, last: datetime.date, taken) -> bool:
    if first < room_type.first_night or last > room_type.last_night:
        return False
    return all(taken[night] < room_type.rooms for night in _nights(first, last))


def allocate_room(
    *,
    room_type: RoomType,
    registrations: list[Registration],
    first_night: datetime.date,
    last_night: datetime.date,
    actor: AbstractBaseUser | None = None,
) -> RoomAllocation:
    """Put one to `beds` people in one room of `room_type` for the nights given.

    Locks the room type so two organisers allocating at once never book more rooms than
    the block holds. Raises NoRoomAvailable when no room is free for every night, when the
    nights fall outside the block, or when there are more people than beds.
    """
    with transaction.atomic():
        room_type = (
            RoomType.objects.select_for_update().select_related("hotel").get(pk=room_type.pk)
        )
        if not registrations or len(registrations) > room_type.beds:
            raise NoRoomAvailable(
                _("A room of this type holds %(beds)s people.") % {"beds": room_type.beds}
            )
        if not _fits(room_type, first_night, last_night, _rooms_taken(room_type)):
            raise NoRoomAvailable()
        RoomOccupant.objects.filter(registration__in=registrations).delete()
        allocation = RoomAllocation.objects.create(
            room_type=room_type, first_night=first_night, last_night=last_night
        )
        RoomOccupant.objects.bulk_create(
            RoomOccupant(allocation=allocation, registration=registration)
            for registration in registrations
        )
        RoomAllocation.objects.filter(room_type__hotel__congress=room_type.hotel.congress).filter(
            occupants__isnull=True
        ).delete()
        record_audit(
            action="travel.room_allocated",
            congress=room_type.hotel.congress,
            actor=actor,
            target=allocation,
            detail={"registrations": [registration.pk for registration in registrations]},
        )
    return allocation


def release_room(*, registration: Registration, actor: AbstractBaseUser | None = None) -> None:
    """Take a person out of their room; an empty room goes back to the block."""
    with transaction.atomic():
        occupant = (
            RoomOccupant.objects.select_related("allocation__room_type__hotel__congress")
            .filter(registration=registration)
            .first()
        )
        if occupant is None:
            return
        allocation = occupant.allocation
        occupant.delete()
        if not allocation.occupants.exists():
            allocation.delete()
        record_audit(
            action="travel.room_released",
            congress=allocation.room_type.hotel.congress,
            actor=actor,
            target=registration,
        )


@dataclass
class AllocationResult:
    allocated: int = 0
    unplaced: int = 0


def _groups(requests: list[AccommodationRequest]) -> list[list[AccommodationRequest]]:
    """People who sleep together: named pairs that name each other, then pairs of the same
    gender among those who asked for it (only the gender they chose to give), then pairs
    among those who share with anyone; everybody else alone."""
    S = AccommodationRequest.Sharing
    groups: list[list[AccommodationRequest]] = []
    by_name = {
        request.registration.person.name.casefold(): request
        for request in requests
        if request.sharing == S.NAMED
    }
    paired: set[int] = set()
    for request in requests:
        if request.sharing != S.NAMED or request.pk in paired:
            continue
        other = by_name.get(request.share_with.casefold())
        mutual = (
            other is not None
            and other.pk != request.pk
            and other.pk not in paired
            and other.share_with.casefold() == request.registration.person.name.casefold()
        )
        if mutual:
            groups.append([request, other])
            paired.update({request.pk, other.pk})
    pools: dict[str, list[AccommodationRequest]] = defaultdict(list)
    for request in requests:
        if request.pk in paired:
            continue
        if request.sharing == S.SAME_GENDER and request.gender:
            pools[f"gender:{request.gender}"].append(request)
        elif request.sharing == S.ANYONE:
            pools["anyone"].append(request)
        else:
            groups.append([request])
    for pool in pools.values():
        for start in range(0, len(pool), 2):
            groups.append(pool[start : start + 2])
    return groups


def auto_allocate_rooms(
    *, congress: Congress, actor: AbstractBaseUser | None = None
) -> AllocationResult:
    """Allocate every request that has no room yet: funded people first (an accommodation
    award), then in the order they asked; each group gets a room with exactly its number of
    beds if one is free, the cheapest first, else the cheapest larger room."""
    funded = set(
        Award.objects.filter(
            application__congress=congress, cost_type=CostType.ACCOMMODATION
        ).values_list("application__registration_id", flat=True)
    )
    requests = list(
        AccommodationRequest.objects.filter(
            registration__congress=congress, registration__room__isnull=True
        )
        .exclude(
            registration__status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED]
        )
        .select_related("registration__person")
        .order_by("updated_at", "pk")
    )
    requests.sort(key=lambda request: request.registration_id not in funded)
    room_types = list(
        RoomType.objects.filter(hotel__congress=congress).order_by("price_per_night_minor", "pk")
    )
    result = AllocationResult()
    for group in _groups(requests):
        first = min(request.first_night for request in group)
        last = max(request.last_night for request in group)
        placed = False
        # A room with exactly as many beds as the group first, the cheapest first.
        candidates = sorted(
            (room_type for room_type in room_types if room_type.beds >= len(group)),
            key=lambda room_type: (room_type.beds != len(group), room_type.price_per_night_minor),
        )
        for room_type in candidates:
            try:
                allocate_room(
                    room_type=room_type,
                    registrations=[request.registration for request in group],
                    first_night=first,
                    last_night=last,
                    actor=actor,
                )
            except NoRoomAvailable:
                continue
            placed = True
            break
        if placed:
            result.allocated += len(group)
        else:
            result.unplaced += len(group)
    return result
