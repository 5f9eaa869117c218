"""Remote participation: joining a session's stream through the private page is recorded
as online attendance (join and leave, deduplicated), counted apart from presence on site.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from attendance.exceptions import NotAnOnlineSession
from attendance.models import OnlineVisit
from registrations.models import Registration
from sessions.models import Session


def online_sessions(*, registration: Registration) -> QuerySet[Session]:
    """Sessions of the registration's congress with a stream link, for a confirmed
    registration only (none otherwise): published, not cancelled, in time order."""
    if registration.status != Registration.Status.CONFIRMED:
        return Session.objects.none()
    return (
        Session.objects.filter(
            congress_id=registration.congress_id, status=Session.Status.PUBLISHED
        )
        .exclude(stream_url="")
        .order_by("starts_at", "title")
    )


def join_online_session(
    *, registration: Registration, session_id: int, now: datetime.datetime | None = None
) -> tuple[OnlineVisit, Session]:
    """Record that the participant joined the session's stream; (visit, session).

    Deduplicated: while a visit of this registration to this session is open, joining again
    returns it (the partial unique constraint decides between two tabs joining at once).
    Raises NotAnOnlineSession for a session that is not one of `online_sessions`.
    """
    session = online_sessions(registration=registration).filter(pk=session_id).first()
    if session is None:
        raise NotAnOnlineSession()
    open_visit = OnlineVisit.objects.filter(
        registration=registration, session=session, left_at__isnull=True
    ).first()
    if open_visit is not None:
        return open_visit, session
    try:
        with transaction.atomic():
            visit = OnlineVisit.objects.create(
                congress_id=registration.congress_id,
                registration=registration,
                session=session,
                joined_at=now or timezone.now(),
            )
    except IntegrityError:
        visit = OnlineVisit.objects.get(
            registration=registration, session=session, left_at__isnull=True
        )
    return visit, session


def leave_online_session(
    *, registration: Registration, session_id: int, now: datetime.datetime | None = None
) -> int:
    """Close the participant's open visit to the session; returns how many were closed
    (0 when none was open: leaving twice changes nothing)."""
    return OnlineVisit.objects.filter(
        registration=registration, session_id=session_id, left_at__isnull=True
    ).update(left_at=now or timezone.now())


def online_seconds(
    visits: list[tuple[float, float]], session_start: float, session_end: float
) -> int:
    """Seconds of the session covered by the visits ((joined, left) timestamps), each
    clipped to the session and overlapping visits counted once."""
    spans = sorted(
        (max(joined, session_start), min(left, session_end))
        for joined, left in visits
        if min(left, session_end) > max(joined, session_start)
    )
    total, current_start, current_end = 0.0, None, None
    for start, end in spans:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return int(total)
