"""E-mails to participants about their sign-ups: seat confirmed, moved up from the waiting
list, sign-up cancelled. Each renders in the person's preferred language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from common.i18n import localized
from sessions.models import SessionSignup


def _send(*, signup: SessionSignup, template: str, subject: str) -> bool:
    """Render `template` and the `subject` (a gettext message with `%(title)s`) in the
    person's preferred language and the congress's time zone, and send it.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    person = signup.registration.person
    if not person.email or person.erased_at is not None:
        return False
    session = signup.session
    congress = session.congress
    with translation.override(person.preferred_language), timezone.override(congress.tzinfo):
        context = {
            "person": person,
            "session_title": localized(session.title, session.title_translations),
            "congress_name": localized(congress.name, congress.name_translations),
            "starts_at": timezone.localtime(session.starts_at, congress.tzinfo),
            "ends_at": timezone.localtime(session.ends_at, congress.tzinfo),
            "room": session.room.name if session.room else "",
        }
        subject = gettext(subject) % {"title": context["session_title"]}
        body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return True


# Subjects are marked here and translated in the recipient's language by _send().
PROMOTED_SUBJECT = gettext_noop("You have a seat: %(title)s")
CANCELLED_SUBJECT = gettext_noop("Sign-up cancelled: %(title)s")


def send_promotion_notice(*, signup: SessionSignup) -> bool:
    """Tell a person promoted from the waitlist that they have a seat, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/promoted.txt", subject=PROMOTED_SUBJECT)


def send_seat_confirmation(*, signup: SessionSignup) -> bool:
    """Confirm to a person who signed up and got a seat straight away, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/seated.txt", subject=PROMOTED_SUBJECT)


def send_cancellation_notice(*, signup: SessionSignup) -> bool:
    """Confirm to a person that their seat or waitlist place is cancelled, in their language.

    Returns False (and sends nothing) when the person has no e-mail address or was erased.
    """
    return _send(signup=signup, template="sessions/email/cancelled.txt", subject=CANCELLED_SUBJECT)
