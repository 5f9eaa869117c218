"""E-mails to participants about their sign-ups."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from congress.i18n import localized
from sessions.models import SessionSignup


def send_promotion_notice(*, signup: SessionSignup) -> bool:
    """Tell a person promoted from the waitlist that they have a seat, in their language.

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
        subject = gettext("You have a seat: %(title)s") % {"title": context["session_title"]}
        body = render_to_string("sessions/email/promoted.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return True
