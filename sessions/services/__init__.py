"""Every write and business rule of the programme.

- programme.py: rooms and sessions (save, schedule, publish, unpublish, delete), sending
  `session_saved`; the draft sessions other apps make and withdraw (an accepted
  call-for-participation proposal).
- signups.py: sign-up with capacity and FIFO waitlist, cancellation and promotion.
- timetable.py: the timetable check (conflict warnings), read-only.
- notifications.py: the e-mail telling a promoted person they have a seat.
"""

from sessions.services.programme import (
    check_session_dates,
    create_draft_session,
    delete_session,
    publish_programme,
    save_room,
    save_session,
    schedule_session,
    set_room_channels,
    unpublish_programme,
    withdraw_draft_session,
)
from sessions.services.signups import (
    cancel_signup,
    cancel_signups_for_registration,
    promote_from_waitlist,
    sign_up_for_session,
)
from sessions.services.timetable import TimetableWarning, check_session, check_timetable

__all__ = [
    "TimetableWarning",
    "cancel_signup",
    "cancel_signups_for_registration",
    "check_session",
    "check_session_dates",
    "check_timetable",
    "create_draft_session",
    "delete_session",
    "promote_from_waitlist",
    "publish_programme",
    "save_room",
    "save_session",
    "schedule_session",
    "set_room_channels",
    "sign_up_for_session",
    "unpublish_programme",
    "withdraw_draft_session",
]
