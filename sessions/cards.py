"""Display data of programme cards, computed in one pass over plain rows.

A programme has hundreds of cards, so everything a card shows is worked out here once and
the template only prints strings: labels are translated once per request (not per card),
times are converted to the congress's time zone once per row, and links are built from one
reversed prefix.
"""

import datetime
from html import escape  # Django's escape() is this one behind a lazy-string wrapper
from itertools import groupby

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from common.i18n import localized
from congress.models import Congress
from sessions.models import Session

# The programme_rows() columns a card shows.
CARD_FIELDS = (
    "id",
    "kind",
    "title",
    "title_translations",
    "starts_at",
    "ends_at",
    "floor_language",
    "interpretation_languages",
    "capacity",
    "requires_signup",
    "changed_after_publication_at",
    "seated_count",
    "track_id",
    "track__name",
    "track__name_translations",
    "track__colour",
    "room__name",
    "room__capacity",
)


class Labels:
    """Translated labels of one request (active language), each computed once."""

    def __init__(self) -> None:
        self.language = translation.get_language() or "en"
        self.kinds = {value: str(label) for value, label in Session.Kind.choices}
        self.languages = {code: str(name) for code, name in settings.WORKING_LANGUAGES}
        self.signup_required = gettext("Sign-up required")
        self.full = gettext("Full: sign up for the waiting list")
        self._seats: dict[int, str] = {}

    def localized(self, canonical: str, translations: dict | None) -> str:
        return localized(canonical, translations, self.language)

    def seats(self, left: int | None) -> str:
        if left is None:
            return self.signup_required
        if left <= 0:
            return self.full
        if left not in self._seats:
            self._seats[left] = ngettext(
                "Sign-up required: %(left)s seat left",
                "Sign-up required: %(left)s seats left",
                left,
            ) % {"left": left}
        return self._seats[left]


def _card(row: dict, tz, labels: Labels, url_prefix: str) -> dict:
    starts_at = row["starts_at"].astimezone(tz)
    ends_at = row["ends_at"].astimezone(tz)
    capacity = row["capacity"] if row["capacity"] is not None else row["room__capacity"]
    seats = ""
    if row["requires_signup"]:
        left = None if capacity is None else max(capacity - row["seated_count"], 0)
        seats = labels.seats(left)
    languages = labels.languages
    codes = [row["floor_language"], *row["interpretation_languages"]]
    return {
        "pk": row["id"],
        "kind": row["kind"],
        "kind_display": labels.kinds.get(row["kind"], row["kind"]),
        "day": starts_at.date(),
        "starts_iso": starts_at.isoformat(),
        "ends_iso": ends_at.isoformat(),
        "starts_hm": f"{starts_at:%H:%M}",
        "ends_hm": f"{ends_at:%H:%M}",
        "title": labels.localized(row["title"], row["title_translations"]),
        "url": f"{url_prefix}{row['id']}/",
        "track_name": (
            labels.localized(row["track__name"], row["track__name_translations"])
            if row["track_id"]
            else ""
        ),
        "track_colour": row["track__colour"] or "",
        "room": row["room__name"] or "",
        "languages": ", ".join(languages.get(code, code) for code in codes),
        "speakers": ", ".join(speaker["name"] for speaker in row["speakers"]),
        "requires_signup": row["requires_signup"],
        "seats": seats,
        "is_changed": row["changed_after_publication_at"] is not None,
    }


def cards_by_day(congress: Congress, rows: list[dict]) -> list[tuple[datetime.date, list[dict]]]:
    """Cards of programme rows (with speakers attached), grouped by congress-local day."""
    tz = congress.tzinfo
    labels = Labels()
    # Reverse once with a placeholder id and reuse the prefix: cheaper than one per card.
    url_prefix = reverse("sessions:session", kwargs={"slug": congress.slug, "pk": 0})[:-2]
    cards = [_card(row, tz, labels, url_prefix) for row in rows]
    return [(day, list(items)) for day, items in groupby(cards, key=lambda card: card["day"])]


# The markup of templates/sessions/_session_card.html (keep them alike), filled in Python:
# a Django template costs ~40 ms for 200 cards on a busy 2-core machine, this ~3 ms.
_CARD = (
    '<li class="session-card" id="session-{pk}" data-kind="{kind}">\n'
    '  <p class="session-time"><time datetime="{starts_iso}">{starts_hm}</time>\u2013'
    '<time datetime="{ends_iso}">{ends_hm}</time> <span class="session-kind">{kind_display}'
    "</span>{changed}</p>\n"
    '  <h3 class="session-title"><a href="{url}">{title}</a></h3>\n'
    '  <p class="meta">{track}{room}{languages}</p>\n'
    "{speakers}{seats}</li>\n"
)
_TRACK = (
    '<svg class="track-swatch" aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">'
    '<rect width="12" height="12" rx="2" fill="{colour}"/></svg> {name} \u00b7 '
)


def cards_html(cards: list[dict]) -> SafeString:
    """The <li> elements of `cards` (from cards_by_day), every value HTML-escaped."""
    changed = (
        f' <span class="badge changed" data-test="changed">{escape(gettext("Changed"))}</span>'
    )
    parts = []
    for card in cards:
        track = ""
        if card["track_name"]:
            track = _TRACK.format(
                colour=escape(card["track_colour"]), name=escape(card["track_name"])
            )
        parts.append(
            _CARD.format(
                pk=card["pk"],
                kind=escape(card["kind"]),
                starts_iso=card["starts_iso"],
                ends_iso=card["ends_iso"],
                starts_hm=card["starts_hm"],
                ends_hm=card["ends_hm"],
                kind_display=escape(card["kind_display"]),
                changed=changed if card["is_changed"] else "",
                url=escape(card["url"]),
                title=escape(card["title"]),
                track=track,
                room=f"{escape(card['room'])} \u00b7 " if card["room"] else "",
                languages=escape(card["languages"]),
                speakers=(
                    f'  <p class="speakers">{escape(card["speakers"])}</p>\n'
                    if card["speakers"]
                    else ""
                ),
                seats=(
                    f'  <p class="seats" data-test="seats">{escape(card["seats"])}</p>\n'
                    if card["requires_signup"]
                    else ""
                ),
            )
        )
    # Safe: our own markup, and every value in it went through escape() above.
    return mark_safe("".join(parts))  # noqa: S308
