"""Emails to registrants, rendered in the registrant's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.mail import send_templated_email
from registrations.models import Registration


def self_service_url(*, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("registrations:self_service", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def _send(registration: Registration, template: str, context: dict) -> None:
    send_templated_email(
        to=registration.person.email,
        template=f"registrations/email/{template}",
        context={"registration": registration, "congress": registration.congress, **context},
        language=registration.language or registration.person.preferred_language or "en",
        time_zone=registration.congress.tzinfo,
    )


def send_registration_email(*, registration: Registration, token: str) -> None:
    """The confirmation email with the private self-service link (sent once, after commit)."""
    if not registration.person.email:
        return
    language = registration.language or "en"
    from registrations.queries import settings_for

    _send(
        registration,
        "registered",
        {
            "link": self_service_url(token=token, language=language),
            "settings": settings_for(congress=registration.congress),
        },
    )


def send_offer_email(registration: Registration) -> None:
    """A seat is offered from the waitlist: accept it from the private link before it ends."""
    if registration.person.email:
        _send(registration, "offer", {})
