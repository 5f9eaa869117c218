"""Read-side querysets of the programme. Every queryset is scoped to its congress first."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from congress.models import Congress
from registrations.models import Registration
from registrations.self_service import registration_for_access_token
from sessions.models import InterpretationChannel, Session, SessionSignup, SessionSpeaker

INACTIVE_REGISTRATION_STATES = (Registration.Status.CANCELLED, Registration.Status.REJECTED)


def congresses_with_tracks() -> QuerySet[Congress]:
    """Congresses with their tracks, which the programme pages show (filters, colours)."""
    return Congress.objects.prefetch_related("tracks")


def _protected_in_congress():
    """Subquery: the speaker's person is a protected participant of the session's congress."""
    return Exists(
        Registration.objects.filter(
            person=OuterRef("person"), congress=OuterRef("session__congress"), is_protected=True
        ).exclude(status__in=INACTIVE_REGISTRATION_STATES)
    )


def public_speakers() -> QuerySet[SessionSpeaker]:
    """Speakers shown to the public: never a protected participant or an erased person."""
    return (
        SessionSpeaker.objects.filter(person__erased_at__isnull=True)
        .exclude(_protected_in_congress())
        .select_related("person", "person__organisation")
        .order_by("position", "id")
    )


def _signup_count(state: str) -> Coalesce:
    """Subquery: the session's sign-ups in `state` (uses the (session, state) index)."""
    counted = (
        SessionSignup.objects.filter(session=OuterRef("pk"), state=state)
        .order_by()
        .values("session")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


def with_signup_counts(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate `seated_count` and `waitlisted_count`. Subqueries, not a join with GROUP BY
    over every selected column: about half the time for a whole programme."""
    return queryset.annotate(
        seated_count=_signup_count(SessionSignup.State.SEATED),
        waitlisted_count=_signup_count(SessionSignup.State.WAITLISTED),
    )


def day_bounds(congress: Congress, day: datetime.date) -> tuple[datetime.datetime, ...]:
    """The start and end of a calendar day in the congress's time zone."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=congress.tzinfo)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=congress.tzinfo
    )
    return start, end


def congress_days(congress: Congress) -> list[datetime.date]:
    days = (congress.ends_on - congress.starts_on).days + 1
    return [congress.starts_on + datetime.timedelta(days=offset) for offset in range(days)]


def programme_sessions(
    *,
    congress: Congress,
    day: datetime.date | None = None,
    track: str | None = None,
    language: str | None = None,
    search: str | None = None,
    include_unpublished: bool = False,
) -> QuerySet[Session]:
    """The congress's programme with rooms, tracks, public speakers and seat counts.

    Filters: `day` (in the congress's time zone), `track` (slug), `language` (floor or
    interpretation), `search` (title in any language, or a public speaker's name).
    Two queries whatever the size: the sessions and their speakers.
    """
    queryset = Session.objects.filter(congress=congress)
    if include_unpublished:
        queryset = queryset.exclude(status=Session.Status.CANCELLED)
    else:
        queryset = queryset.filter(status=Session.Status.PUBLISHED)
    if day is not None:
        start, end = day_bounds(congress, day)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    if track:
        queryset = queryset.filter(track__slug=track)
    if language:
        queryset = queryset.filter(
            Q(floor_language=language) | Q(interpretation_languages__icontains=f'"{language}"')
        )
    if search:
        search = search.strip()
        speaker_match = public_speakers().filter(
            Q(person__name__icontains=search) | Q(person__latin_name__icontains=search),
            session=OuterRef("pk"),
        )
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(title_translations__icontains=search)
            | Exists(speaker_match)
        )
    return (
        with_signup_counts(queryset)
        .select_related("congress", "room", "track")
        .prefetch_related(
            Prefetch("speakers", queryset=public_speakers(), to_attr="public_speakers")
        )
        .order_by("starts_at", "room__position", "room__name", "title")
    )


def participant_registration(
    *,
    congress: Congress,
    user: AbstractBaseUser | AnonymousUser | None = None,
    token: str | None = None,
) -> Registration | None:
    """The registration a participant acts with: by private token, else by logged-in user.

    Only a registration of `congress` is returned; a token of another congress gives None.
    """
    if token:
        registration = registration_for_access_token(token=token)
        if registration is not None and registration.congress_id == congress.pk:
            return registration
        return None
    if user is None or not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("congress", "person", "category")
        .filter(congress=congress, person__user=user)
        .exclude(status__in=INACTIVE_REGISTRATION_STATES)
        .order_by("-created_at")
        .first()
    )


def active_signups(*, registration: Registration) -> QuerySet[SessionSignup]:
    """A participant's seats and waitlist places, in programme order."""
    return (
        SessionSignup.objects.filter(
            registration=registration,
            state__in=(SessionSignup.State.SEATED, SessionSignup.State.WAITLISTED),
        )
        .select_related("session", "session__room", "session__track")
        .order_by("session__starts_at", "session__pk")
    )


def agenda_sessions(*, registration: Registration) -> QuerySet[Session]:
    """A participant's personal agenda: plenaries and breaks (everyone's) plus the sessions
    they hold a seat in. Waitlist places are not in the agenda."""
    seated = SessionSignup.objects.filter(
        session=OuterRef("pk"), registration=registration, state=SessionSignup.State.SEATED
    )
    return programme_sessions(congress=registration.congress).filter(
        Q(kind__in=(Session.Kind.PLENARY, Session.Kind.BREAK)) | Exists(seated)
    )


def waitlist_position(*, signup: SessionSignup) -> int:
    """1 for the next person to be seated."""
    return (
        SessionSignup.objects.filter(
            session_id=signup.session_id,
            state=SessionSignup.State.WAITLISTED,
        )
        .filter(
            Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lte=signup.pk)
        )
        .count()
    )


def session_signups(*, session: Session) -> QuerySet[SessionSignup]:
    """Organisers' list of a session's sign-ups (protected participants included)."""
    return (
        SessionSignup.objects.filter(session=session)
        .select_related("registration__person", "registration__category")
        .order_by("created_at", "id")
    )


# Columns of a programme row: everything the programme page and the API list show.
PROGRAMME_ROW_FIELDS = (
    "id",
    "kind",
    "status",
    "title",
    "title_translations",
    "description",
    "description_translations",
    "starts_at",
    "ends_at",
    "floor_language",
    "interpretation_languages",
    "capacity",
    "requires_signup",
    "changed_after_publication_at",
    "seated_count",
    "waitlisted_count",
    "track_id",
    "track__slug",
    "track__name",
    "track__name_translations",
    "track__colour",
    "room_id",
    "room__name",
    "room__capacity",
    "room__accessibility_notes",
    "room__position",
)


def programme_rows(
    queryset: QuerySet[Session], *, fields: tuple[str, ...] = PROGRAMME_ROW_FIELDS
) -> QuerySet:
    """A `programme_sessions()` queryset as plain dicts of `fields` (a subset of
    PROGRAMME_ROW_FIELDS, which includes "id"), for lists of hundreds of sessions where model
    instances cost more than the query. Same order and filters; add speakers with
    `attach_public_speakers()`. Ask only for what is shown: every JSON and datetime column
    is decoded in Python, row by row."""
    return queryset.prefetch_related(None).values(*fields)


def attach_public_speakers(rows) -> list[dict]:
    """Give every row a `speakers` list of dicts (name, latin_name, organisation, role):
    public speakers only (as `public_speakers()`), in their order. One query."""
    rows = list(rows)
    by_session: dict[int, list[dict]] = {}
    for row in rows:
        row["speakers"] = by_session[row["id"]] = []
    if not rows:
        return rows
    speakers = (
        public_speakers()
        .filter(session_id__in=list(by_session))
        .values_list(
            "session_id", "person__name", "person__latin_name", "person__organisation__name", "role"
        )
    )
    for session_id, name, latin_name, organisation, role in speakers:
        by_session[session_id].append(
            {
                "name": name,
                "latin_name": latin_name,
                "organisation": organisation or "",
                "role": role,
            }
        )
    return rows


def interpretation_channels(*, congress: Congress) -> "ChannelGuide":
    """The congress's interpretation channels, one query; `ChannelGuide.for_session` gives
    a session's channels (its own, else its room's) as (language, channel) pairs."""
    by_session: dict[int, list[tuple[str, int]]] = {}
    by_room: dict[int, list[tuple[str, int]]] = {}
    rows = InterpretationChannel.objects.filter(congress=congress).order_by("channel", "pk")
    for session_id, room_id, language, channel in rows.values_list(
        "session_id", "room_id", "language", "channel"
    ):
        target = by_session if session_id else by_room
        target.setdefault(session_id or room_id, []).append((language, channel))
    return ChannelGuide(by_session=by_session, by_room=by_room)


@dataclass(frozen=True)
class ChannelGuide:
    by_session: dict
    by_room: dict

    def for_session(self, session) -> list[tuple[str, int]]:
        return self.by_session.get(session.pk) or self.by_room.get(session.room_id) or []
