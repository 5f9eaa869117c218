"""Read side of attendance: load a congress's registrations, sessions and scans in a fixed
number of queries, and derive the live report and each person's attendance from them.

Used by the report page, the exports, the API and close_congress alike, so that every
figure is computed one way.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.formats import number_format

from attendance.hours import allocate_seconds
from attendance.models import AttendanceClosure, OnlineVisit
from attendance.online import online_seconds
from attendance.room_doors import RoomScan, RoomTimetable, room_visits
from badges.models import CheckIn, Checkpoint, Scan
from congress.models import Congress, Track
from members.models import Organisation
from registrations.models import Registration, RegistrationCategory
from sessions.models import Session, SessionSignup

# Session kinds that count as training for the "trainings attended" figures.
TRAINING_KINDS = frozenset({Session.Kind.TRAINING, Session.Kind.WORKSHOP})


def checkout_times_for(*, congress: Congress) -> dict[int, datetime.datetime]:
    """Check-out time of each session check-in of `congress`, keyed by CheckIn id (one query).

    An exit scan sets CheckIn.checked_out_at; a later entry the same day clears it again, so
    a person who left and came back counts the whole session.
    """
    return dict(
        CheckIn.objects.filter(
            checkpoint__congress=congress,
            checkpoint__kind=Checkpoint.Kind.SESSION,
            checked_out_at__isnull=False,
            is_rehearsal=False,
        ).values_list("id", "checked_out_at")
    )


def checkout_time_for(
    *, checkin_id: int, checkouts: dict[int, datetime.datetime]
) -> datetime.datetime | None:
    """The check-out time of one check-in, or None when the person was not seen leaving."""
    return checkouts.get(checkin_id)


def format_decimal_hours(minutes: int) -> str:
    """Minutes as hours with two decimals, in the active locale ("1.50", "1,50")."""
    return number_format(round(minutes / 60, 2), decimal_pos=2)


@dataclass(frozen=True, slots=True)
class RegistrationRow:
    id: int
    person_id: int
    name: str
    latin_name: str
    badge_display_name: str
    category_id: int
    country: str
    organisation_id: int | None
    is_protected: bool
    list_visibility: str
    preferred_language: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: int
    title: str
    title_translations: dict
    track_id: int | None
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    room_id: int | None = None


@dataclass
class AttendanceData:
    """Everything the attendance figures are computed from (a snapshot of one congress)."""

    congress: Congress
    registrations: dict[int, RegistrationRow]
    categories: dict[int, RegistrationCategory]
    organisations: dict[int, Organisation]
    tracks: dict[int, Track]
    sessions: dict[int, SessionRow]
    seated: dict[int, int]  # session id -> people seated (signed up)
    # Session check-ins as (checkin id, registration id, session id), in scan order.
    checkins: list[tuple]
    days_present: dict[int, int]  # registration id -> distinct days with any check-in
    people_per_day: dict[datetime.date, int]
    checkouts: dict[int, datetime.datetime]
    # registration id -> days seen at the congress entrance (the plenary rule uses them)
    entrance_days: dict[int, set] = field(default_factory=dict)
    # How plenaries count (AttendanceClosure.PlenaryRule): room doors, entrance, or not.
    plenary_rule: str = AttendanceClosure.PlenaryRule.ROOM_DOORS
    # Admitted entry and exit scans at room doors, in scan order (attendance.room_doors).
    room_scans: list[RoomScan] = field(default_factory=list)
    # registration id -> session id -> [(joined, left) timestamps]: remote participation
    online_visits: dict[int, dict[int, list]] = field(default_factory=dict)


@dataclass
class PersonFigures:
    registration_id: int
    days_present: int = 0
    sessions_attended: int = 0
    trainings_attended: int = 0
    attended_seconds: int = 0
    training_seconds: int = 0
    # track id -> [sessions, seconds]
    tracks: dict = field(default_factory=dict)
    # session ids with time attended
    session_ids: set = field(default_factory=set)
    # Remote participation, counted apart from presence on site.
    online_seconds: int = 0
    online_session_ids: set = field(default_factory=set)

    @property
    def online_minutes(self) -> int:
        return self.online_seconds // 60

    @property
    def is_online(self) -> bool:
        return self.online_seconds > 0

    @property
    def is_present(self) -> bool:
        return self.days_present > 0

    @property
    def attended_minutes(self) -> int:
        return self.attended_seconds // 60

    @property
    def training_minutes(self) -> int:
        return self.training_seconds // 60


def load_attendance_data(*, congress: Congress) -> AttendanceData:
    """Load one congress's attendance inputs in 12 queries, whatever its size."""
    registrations = {
        row[0]: RegistrationRow(*row)
        for row in Registration.objects.filter(
            congress=congress, status=Registration.Status.CONFIRMED
        ).values_list(
            "id",
            "person_id",
            "person__name",
            "person__latin_name",
            "badge_display_name",
            "category_id",
            "person__country",
            "person__organisation_id",
            "is_protected",
            "list_visibility",
            "person__preferred_language",
        )
    }
    categories = {c.pk: c for c in RegistrationCategory.objects.filter(congress=congress)}
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(
            people__registrations__congress=congress,
            people__registrations__status=Registration.Status.CONFIRMED,
        ).distinct()
    }
    tracks = {track.pk: track for track in Track.objects.filter(congress=congress)}
    sessions = {
        row[0]: SessionRow(*row)
        for row in Session.objects.filter(congress=congress)
        .exclude(status=Session.Status.CANCELLED)
        .exclude(kind=Session.Kind.BREAK)
        .values_list(
            "id",
            "title",
            "title_translations",
            "track_id",
            "kind",
            "starts_at",
            "ends_at",
            "room_id",
        )
    }
    seated = dict(
        SessionSignup.objects.filter(session__congress=congress, state=SessionSignup.State.SEATED)
        .values("session_id")
        .annotate(total=Count("id"))
        .values_list("session_id", "total")
    )
    # Rehearsal check-ins (outside the congress's days, badges.rehearsal) never count.
    congress_checkins = CheckIn.objects.filter(checkpoint__congress=congress, is_rehearsal=False)
    # Only integers come back for the 150,000 scans (no per-row datetime parsing): the SQL
    # order is the scan order the overlap rule needs. Scans of registrations that are not
    # confirmed are dropped in Python (cheaper than one more join).
    checkins = [
        row
        for row in congress_checkins.filter(checkpoint__session__isnull=False)
        .order_by("checked_in_at", "id")
        .values_list("id", "credential__registration_id", "checkpoint__session_id")
        if row[1] in registrations
    ]
    days_present: Counter = Counter()
    people_per_day: Counter = Counter()
    entrance_days: dict[int, set] = defaultdict(set)
    seen_days: set[tuple] = set()
    for registration_id, day, kind in (
        congress_checkins.values_list("credential__registration_id", "day", "checkpoint__kind")
        .distinct()
        .order_by()
    ):
        if registration_id not in registrations:
            continue
        if kind == Checkpoint.Kind.ENTRANCE:
            entrance_days[registration_id].add(day)
        if (registration_id, day) not in seen_days:
            seen_days.add((registration_id, day))
            days_present[registration_id] += 1
            people_per_day[day] += 1
    return AttendanceData(
        congress=congress,
        registrations=registrations,
        categories=categories,
        organisations=organisations,
        tracks=tracks,
        sessions=sessions,
        seated=seated,
        checkins=checkins,
        days_present=days_present,
        people_per_day=people_per_day,
        checkouts=checkout_times_for(congress=congress),
        entrance_days=dict(entrance_days),
        plenary_rule=AttendanceClosure.objects.filter(congress=congress)
        .values_list("plenary_rule", flat=True)
        .first()
        or AttendanceClosure.PlenaryRule.ROOM_DOORS,
        room_scans=_room_scans(congress, registrations),
        online_visits=_online_visits(congress, registrations),
    )


def _room_scans(congress: Congress, registrations: dict) -> list[RoomScan]:
    """Admitted entries (a second entry the same day is "already checked in", still a
    presence) and check-outs at the congress's room doors, in scan order (one query).
    Rehearsal scans never count: their check-in is marked so."""
    admitted = Q(
        direction=Scan.Direction.ENTRY,
        result__in=[Scan.Result.OK, Scan.Result.ALREADY_CHECKED_IN],
    ) | Q(direction=Scan.Direction.EXIT, result=Scan.Result.OK)
    rows = (
        Scan.objects.filter(
            congress=congress, checkpoint__kind=Checkpoint.Kind.ROOM, checkin__is_rehearsal=False
        )
        .filter(admitted)
        .order_by("scanned_at", "id")
        .values_list(
            "credential__registration_id", "checkpoint__room_id", "direction", "scanned_at"
        )
    )
    return [
        RoomScan(
            registration_id=registration_id,
            room_id=room_id,
            is_exit=direction == Scan.Direction.EXIT,
            at=scanned_at.timestamp(),
        )
        for registration_id, room_id, direction, scanned_at in rows
        if registration_id in registrations
    ]


def _online_visits(congress: Congress, registrations: dict) -> dict[int, dict[int, list]]:
    """Remote participants' joins and leaves (one query); a visit still open counts until
    the session's end."""
    visits: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC).timestamp()
    for registration_id, session_id, joined_at, left_at in OnlineVisit.objects.filter(
        congress=congress
    ).values_list("registration_id", "session_id", "joined_at", "left_at"):
        if registration_id in registrations:
            left = left_at.timestamp() if left_at else far_future
            visits[registration_id][session_id].append((joined_at.timestamp(), left))
    return visits


def person_figures(data: AttendanceData) -> dict[int, PersonFigures]:
    """Each confirmed registrant's figures (registration id -> figures), present or not."""
    figures = {
        pk: PersonFigures(registration_id=pk, days_present=data.days_present.get(pk, 0))
        for pk in data.registrations
    }
    # Session times as numbers once, not per scan.
    times = {
        pk: (session.starts_at.timestamp(), session.ends_at.timestamp())
        for pk, session in data.sessions.items()
    }
    intervals: dict[int, dict[int, tuple]] = defaultdict(dict)
    for order, (checkin_id, registration_id, session_id) in enumerate(data.checkins):
        session_time = times.get(session_id)
        person_intervals = intervals[registration_id]
        if session_time is None or session_id in person_intervals:
            continue
        start, end = session_time
        checked_out_at = (
            checkout_time_for(checkin_id=checkin_id, checkouts=data.checkouts)
            if data.checkouts
            else None
        )
        if checked_out_at is not None:
            end = min(end, checked_out_at.timestamp())
        person_intervals[session_id] = (start, order, session_id, end)
    if data.room_scans:
        _add_room_doors(data, times, intervals)
    if data.plenary_rule == AttendanceClosure.PlenaryRule.ENTRANCE:
        _add_plenaries_from_entrance(data, times, intervals)
    for registration_id, sessions in data.online_visits.items():
        person = figures.get(registration_id)
        for session_id, visits in sessions.items():
            if person is None or session_id not in times:
                continue
            seconds = online_seconds(visits, *times[session_id])
            if seconds > 0:
                person.online_seconds += seconds
                person.online_session_ids.add(session_id)
    for registration_id, person_intervals in intervals.items():
        person = figures.get(registration_id)
        if person is not None:
            _add_session_time(person, person_intervals, data.sessions)
    return figures


def _add_room_doors(data: AttendanceData, times: dict, intervals: dict) -> None:
    """Sessions attended through room doors (attendance.room_doors); plenaries only under
    the room-doors plenary rule. Ordered after the session doors' check-ins (the overlap
    rule's "entered most recently" between a session door and a room door is decided by
    the session's start first, so only sessions starting together are affected)."""
    counts_plenaries = data.plenary_rule == AttendanceClosure.PlenaryRule.ROOM_DOORS
    timetable = RoomTimetable(
        {
            session_id: (session.room_id, *times[session_id])
            for session_id, session in data.sessions.items()
            if counts_plenaries or session.kind != Session.Kind.PLENARY
        }
    )
    after = len(data.checkins)
    for registration_id, visits in room_visits(data.room_scans, timetable).items():
        person_intervals = intervals[registration_id]
        for session_id, (order, checked_out_at) in visits.items():
            start, end = times[session_id]
            if checked_out_at is not None:
                end = min(end, checked_out_at)
            known = person_intervals.get(session_id)
            if known is None:
                person_intervals[session_id] = (start, after + order, session_id, end)
            elif end > known[3]:
                # Seen at both doors: the longer presence counts.
                person_intervals[session_id] = (*known[:3], end)


def _add_plenaries_from_entrance(data: AttendanceData, times: dict, intervals: dict) -> None:
    """The entrance rule for plenaries: a person seen at the entrance on a plenary's day
    attended it. Ordered before every door check-in (negative order), so a session door
    scanned during the plenary takes that time, as the overlap rule says."""
    tz = data.congress.tzinfo
    plenaries = [
        (session_id, datetime.datetime.fromtimestamp(times[session_id][0], tz).date())
        for session_id, session in data.sessions.items()
        if session.kind == Session.Kind.PLENARY
    ]
    for registration_id, days in data.entrance_days.items():
        person_intervals = intervals[registration_id]
        for order, (session_id, day) in enumerate(plenaries):
            if day in days and session_id not in person_intervals:
                start, end = times[session_id]
                person_intervals[session_id] = (start, -len(plenaries) + order, session_id, end)


def _add_session_time(person: PersonFigures, intervals: dict, sessions: dict) -> None:
    seconds_by_session = allocate_seconds(list(intervals.values()), {})
    for session_id, (start, _order, _id, end) in intervals.items():
        if end <= start:
            continue  # checked out before the session started
        seconds = seconds_by_session.get(session_id, 0)
        session = sessions[session_id]
        is_training = session.kind in TRAINING_KINDS
        person.session_ids.add(session_id)
        person.sessions_attended += 1
        person.trainings_attended += is_training
        person.attended_seconds += seconds
        person.training_seconds += seconds if is_training else 0
        if session.track_id:
            track = person.tracks.setdefault(session.track_id, [0, 0])
            track[0] += 1
            track[1] += seconds


@dataclass
class ReportRow:
    """One line of a per-day or per-group table. Registrations of online categories are
    counted apart from those on site; `online` is the people who joined a session's stream
    (that day, for a day line) and `online_minutes` their time there."""

    key: str
    label: str
    registered_on_site: int = 0
    registered_online: int = 0
    checked_in: int = 0
    online: int = 0
    online_minutes: int = 0

    @property
    def online_hours(self) -> str:
        return format_decimal_hours(self.online_minutes)


@dataclass
class SessionReportRow:
    session: SessionRow
    track: Track | None
    signed_up: int
    attended: int
    online: int = 0  # remote participants who followed it (counted apart)

    @property
    def no_show_rate(self) -> float | None:
        """Share of people seated who did not come (None when nobody signed up)."""
        if not self.signed_up:
            return None
        return max(self.signed_up - self.attended, 0) / self.signed_up


@dataclass
class TrackReportRow:
    track: Track
    people_trained: int
    minutes: int

    @property
    def hours(self) -> str:
        return format_decimal_hours(self.minutes)


@dataclass
class AttendanceReport:
    congress: Congress
    # Confirmed registrations in categories on site (online categories are counted apart).
    registered_on_site: int
    checked_in: int
    # Remote participants: people who followed at least one session online.
    online: int
    # Confirmed registrations in categories marked online (remote participants by category).
    registered_online: int
    # Time all remote participants spent in session streams (each clipped to the session).
    online_minutes: int
    days: list[ReportRow]
    categories: list[ReportRow]
    countries: list[ReportRow]
    organisations: list[ReportRow]
    sessions: list[SessionReportRow]
    tracks: list[TrackReportRow]
    figures: dict[int, PersonFigures]
    data: AttendanceData

    @property
    def online_hours(self) -> str:
        return format_decimal_hours(self.online_minutes)


def is_online_registration(data: AttendanceData, registration: RegistrationRow) -> bool:
    """Whether the registration is in an online category (a remote participant)."""
    return data.categories[registration.category_id].is_online


def attendance_report(*, congress: Congress) -> AttendanceReport:
    """The live (or final) attendance report of one congress, in a constant number of queries.

    Counts everybody, protected participants included: only aggregates live here. The list
    of individuals is `people_rows`, which applies the privacy rules.
    """
    data = load_attendance_data(congress=congress)
    figures = person_figures(data)
    registered_online = sum(
        is_online_registration(data, row) for row in data.registrations.values()
    )
    return AttendanceReport(
        congress=congress,
        registered_on_site=len(data.registrations) - registered_online,
        checked_in=sum(person.is_present for person in figures.values()),
        online=sum(person.is_online for person in figures.values()),
        registered_online=registered_online,
        online_minutes=sum(person.online_seconds for person in figures.values()) // 60,
        days=_day_rows(data, figures),
        categories=_group_rows(
            data, figures, lambda r: r.category_id, lambda k: str(data.categories[k])
        ),
        countries=_group_rows(data, figures, lambda r: r.country, _country_name),
        organisations=_group_rows(
            data,
            figures,
            lambda r: r.organisation_id or 0,
            lambda k: str(data.organisations[k]) if k else "",
        ),
        sessions=_session_rows(data, figures),
        tracks=_track_rows(data, figures),
        figures=figures,
        data=data,
    )


def _country_name(code: str) -> str:
    from django_countries import countries

    return str(countries.name(code)) if code else ""


def _online_per_day(data: AttendanceData) -> tuple[Counter, Counter]:
    """(people who joined a stream, seconds online) per congress day: each visit counts on
    the day its session starts, in the congress's time zone."""
    tz = data.congress.tzinfo
    times = {
        pk: (session.starts_at.timestamp(), session.ends_at.timestamp())
        for pk, session in data.sessions.items()
    }
    people: Counter = Counter()
    seconds: Counter = Counter()
    for sessions in data.online_visits.values():
        days_seen = set()
        for session_id, visits in sessions.items():
            if session_id not in times:
                continue
            spent = online_seconds(visits, *times[session_id])
            if spent <= 0:
                continue
            day = datetime.datetime.fromtimestamp(times[session_id][0], tz).date()
            seconds[day] += spent
            if day not in days_seen:
                days_seen.add(day)
                people[day] += 1
    return people, seconds


def _day_rows(data: AttendanceData, figures: dict[int, PersonFigures]) -> list[ReportRow]:
    congress = data.congress
    online_people, online_time = _online_per_day(data)
    days = set(data.people_per_day) | set(online_people)
    day = congress.starts_on
    while day <= congress.ends_on:
        days.add(day)
        day += datetime.timedelta(days=1)
    registered_online = sum(
        is_online_registration(data, row) for row in data.registrations.values()
    )
    return [
        ReportRow(
            key=day.isoformat(),
            label=day.isoformat(),
            registered_on_site=len(figures) - registered_online,
            registered_online=registered_online,
            checked_in=data.people_per_day.get(day, 0),
            online=online_people.get(day, 0),
            online_minutes=online_time.get(day, 0) // 60,
        )
        for day in sorted(days)
    ]


def _group_rows(
    data: AttendanceData, figures: dict[int, PersonFigures], key_of, label_of
) -> list[ReportRow]:
    rows: dict = {}
    for registration in data.registrations.values():
        key = key_of(registration)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ReportRow(key=str(key), label=label_of(key))
        if is_online_registration(data, registration):
            row.registered_online += 1
        else:
            row.registered_on_site += 1
        person = figures[registration.id]
        row.checked_in += person.is_present
        row.online += person.is_online
        row.online_minutes += person.online_seconds
    for row in rows.values():
        row.online_minutes //= 60
    return sorted(
        rows.values(),
        key=lambda row: (
            -(row.registered_on_site + row.registered_online),
            not row.label,
            row.label,
        ),
    )


def _session_rows(data: AttendanceData, figures: dict) -> list[SessionReportRow]:
    attended: Counter = Counter()
    online: Counter = Counter()
    for person in figures.values():
        attended.update(person.session_ids)
        online.update(person.online_session_ids)
    rows = [
        SessionReportRow(
            session=session,
            track=data.tracks.get(session.track_id),
            signed_up=data.seated.get(session.id, 0),
            attended=attended[session.id],
            online=online[session.id],
        )
        for session in data.sessions.values()
    ]
    return sorted(rows, key=lambda row: (row.session.starts_at, row.session.title))


def _track_rows(data: AttendanceData, figures: dict) -> list[TrackReportRow]:
    people: Counter = Counter()
    seconds: Counter = Counter()
    for person in figures.values():
        for track_id, (_sessions, track_seconds) in person.tracks.items():
            if track_seconds > 0:
                people[track_id] += 1
                seconds[track_id] += track_seconds
    return [
        TrackReportRow(track=track, people_trained=people[pk], minutes=seconds[pk] // 60)
        for pk, track in sorted(
            data.tracks.items(), key=lambda item: (item[1].position, item[1].name)
        )
    ]


@dataclass(frozen=True)
class PersonRow:
    registration_id: int
    name: str
    organisation: str
    category: str
    country: str
    days_present: int
    sessions_attended: int
    attended_minutes: int
    training_minutes: int
    is_protected: bool
    is_online: bool = False  # registered in an online category
    online_minutes: int = 0

    @property
    def attended_hours(self) -> str:
        return format_decimal_hours(self.attended_minutes)

    @property
    def online_hours(self) -> str:
        return format_decimal_hours(self.online_minutes)


def people_rows(*, report: AttendanceReport, include_hidden: bool) -> list[PersonRow]:
    """One row per registrant. Protected people and those who opted out of the participants'
    list are left out unless `include_hidden` (organisers of this congress only)."""
    data = report.data
    rows = []
    for registration in data.registrations.values():
        if not include_hidden and (
            registration.is_protected
            or registration.list_visibility == Registration.ListVisibility.NOWHERE
        ):
            continue
        person = report.figures[registration.id]
        organisation = data.organisations.get(registration.organisation_id)
        rows.append(
            PersonRow(
                registration_id=registration.id,
                name=registration.name,
                organisation=str(organisation) if organisation else "",
                category=str(data.categories[registration.category_id]),
                country=registration.country,
                days_present=person.days_present,
                sessions_attended=person.sessions_attended,
                attended_minutes=person.attended_minutes,
                training_minutes=person.training_minutes,
                is_protected=registration.is_protected,
                is_online=is_online_registration(data, registration),
                online_minutes=person.online_minutes,
            )
        )
    return sorted(rows, key=lambda row: (row.name.casefold(), row.registration_id))
