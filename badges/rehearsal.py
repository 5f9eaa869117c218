"""Rehearsal scans: scans on a day outside the congress's days, in its time zone.

Door staff try the scanner weeks before the congress; those check-ins are recorded (so the
scanner behaves as on the day) but flagged, and attendance, certificates and membership
records never count them. The flag is decided once, when the check-in is inserted, from
the congress's first and last day (two dates already loaded with the congress: no query).
"""

import datetime

from congress.models import Congress


def is_rehearsal_day(*, congress: Congress, day: datetime.date) -> bool:
    """Whether `day` (a date in the congress's time zone) is outside the congress's days."""
    return not (congress.starts_on <= day <= congress.ends_on)


def is_before_congress(*, congress: Congress, day: datetime.date) -> bool:
    """Whether `day` comes before the congress's first day (the scanner says "rehearsal")."""
    return day < congress.starts_on
