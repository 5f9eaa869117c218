"""A mailing's text for one recipient: their language, placeholders filled, opt-out link."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.formatting import format_money
from congress.models import Congress
from members.models import Person
from messaging.exceptions import UnknownPlaceholder
from registrations.models import Registration

PLACEHOLDERS = ("name", "link", "amount_due", "reference")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def check_placeholders(*texts: str) -> None:
    """Raise UnknownPlaceholder naming the first `{word}` that is not a placeholder."""
    for text in texts:
        for word in _PLACEHOLDER.findall(text):
            if word not in PLACEHOLDERS:
                raise UnknownPlaceholder(
                    _("Unknown placeholder {%(word)s}: use %(known)s.")
                    % {"word": word, "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)}
                )


def uses_link(texts: dict[str, str]) -> bool:
    return any("{link}" in text for text in texts.values())


def mailing_language(*, wanted: str, texts: dict[str, str], congress: Congress) -> str:
    """The person's own language when the mailing has text in it, else the congress's first
    working language (else the first language the mailing is written in)."""
    if wanted in texts:
        return wanted
    first = (congress.working_languages or [settings.LANGUAGE_CODE])[0]
    return first if first in texts else next(iter(texts), first)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


def self_service_link(*, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("registrations:self_service", kwargs={"token": token})


def unsubscribe_link(*, token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("messaging:unsubscribe", kwargs={"token": token})


def render_message(
    *,
    subjects: dict[str, str],
    bodies: dict[str, str],
    language: str,
    person: Person,
    registration: Registration | None,
    access_token: str = "",
    unsubscribe_token: str = "",
) -> RenderedMessage:
    """Subject and body in `language` with the placeholders filled for this person; an
    unsubscribe paragraph at the end when `unsubscribe_token` is given."""
    values = {
        "name": person.name,
        "link": self_service_link(token=access_token, language=language) if access_token else "",
        "amount_due": "",
        "reference": "",
    }
    if registration is not None:
        values["amount_due"] = format_money(
            registration.amount_outstanding_minor, registration.currency, language
        )
        values["reference"] = registration.payment_reference

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)

    subject = " ".join(fill(subjects.get(language, "")).split())
    body = fill(bodies.get(language, ""))
    if unsubscribe_token:
        with translation.override(language):
            body += "\n\n-- \n" + _(
                "You receive this message because you take part in this congress. To receive "
                "no more of these messages: %(link)s"
            ) % {"link": unsubscribe_link(token=unsubscribe_token, language=language)}
    return RenderedMessage(subject=subject, body=body)
