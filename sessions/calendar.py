"""iCalendar (RFC 5545) output of a programme or a personal agenda.

Times are written in the congress's time zone (DTSTART;TZID=...) with a matching VTIMEZONE,
so calendar apps show the right local time whatever the reader's own zone.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from common.i18n import localized
from congress.models import Congress
from sessions.models import Session


def _uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _event(session: Session, congress: Congress, domain: str) -> Event:
    tz = congress.tzinfo
    event = Event()
    event.add("uid", f"session-{session.pk}@{domain}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, tz))
    event.add("dtend", timezone.localtime(session.ends_at, tz))
    event.add("summary", localized(session.title, session.title_translations))
    description = localized(session.description, session.description_translations)
    speakers = ", ".join(speaker.person.name for speaker in session.public_speakers)
    event.add("description", "\n\n".join(part for part in (description, speakers) if part))
    if session.room is not None:
        event.add("location", session.room.name)
    if session.track is not None:
        event.add("categories", [localized(session.track.name, session.track.name_translations)])
    event.add("last-modified", session.updated_at)
    event.add("status", "CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")
    return event


def render_calendar(*, congress: Congress, sessions: Iterable[Session], name: str) -> bytes:
    """The sessions as one VCALENDAR. `sessions` come from `programme_sessions` (speakers
    prefetched as `public_speakers`)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Congress management//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", congress.timezone)
    domain = _uid_domain()
    for session in sessions:
        calendar.add_component(_event(session, congress, domain))
    calendar.add_missing_timezones()
    return calendar.to_ical()
