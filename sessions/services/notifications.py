"""E-mails to participants about their sign-ups: seat confirmed, moved up from the waiting
list, sign-up cancelled. Each renders in the person's preferred language."""

from django.utils import timezone, translation

from common.i18n import localized
from common.mail import send_templated_email
from sessions.models import SessionSignup


def _send(*, signup: SessionSignup, template: str) -> bool:
    """Render `template` (subject and body) in the person's preferred language and the
    congress's time zone, and send it.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    person = signup.registration.person
    if not person.email or person.erased_at is not None:
        return False
    session = signup.session
    congress = session.congress
    # Titles and names in the recipient's language (localized() reads the active language).
    with translation.override(person.preferred_language):
        context = {
            "person": person,
            "session_title": localized(session.title, session.title_translations),
            "congress_name": localized(congress.name, congress.name_translations),
            "starts_at": timezone.localtime(session.starts_at, congress.tzinfo),
            "ends_at": timezone.localtime(session.ends_at, congress.tzinfo),
            "room": session.room.name if session.room else "",
        }
    return send_templated_email(
        to=person.email,
        template=template,
        context=context,
        language=person.preferred_language,
        time_zone=congress.tzinfo,
    )


def send_promotion_notice(*, signup: SessionSignup) -> bool:
    """Tell a person promoted from the waitlist that they have a seat, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/promoted")


def send_seat_confirmation(*, signup: SessionSignup) -> bool:
    """Confirm to a person who signed up and got a seat straight away, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/seated")


def send_cancellation_notice(*, signup: SessionSignup) -> bool:
    """Confirm to a person that their seat or waitlist place is cancelled, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/cancelled")
