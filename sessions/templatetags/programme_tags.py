from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from sessions.cards import cards_html

register = template.Library()


@register.simple_tag
def programme_cards(cards: list[dict]) -> SafeString:
    """The <li> programme cards of one day (markup built in sessions/cards.py)."""
    return cards_html(cards)


@register.filter
def seats_left(session) -> int | None:
    """Free seats of an annotated session (None when unlimited)."""
    capacity = session.effective_capacity
    if capacity is None:
        return None
    return max(capacity - getattr(session, "seated_count", 0), 0)


@register.filter
def local(value, congress):
    """A datetime in the congress's time zone."""
    return timezone.localtime(value, congress.tzinfo)


@register.filter
def language_name(code: str) -> str:
    return str(dict(settings.WORKING_LANGUAGES).get(code, code))


@register.filter
def signup_for(signups: dict, session_id: int):
    """The participant's active sign-up for a session, from a dict keyed by session id."""
    return signups.get(session_id)
