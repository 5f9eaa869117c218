"""Emails to registrants, rendered in the registrant's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from common.mail import send_templated_email
from registrations.models import Registration, RegistrationGroup


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
    """The confirmation email with the private self-service link (sent once, after commit).

    A delegate's e-mail carries no reference or amount of their own: it says the head of
    delegation pays for everyone under the delegation's reference."""
    if not registration.person.email:
        return
    language = registration.language or "en"
    from registrations.queries import settings_for

    _send(
        registration,
        "delegate" if registration.group_id else "registered",
        {
            "link": self_service_url(token=token, language=language),
            "settings": settings_for(congress=registration.congress),
        },
    )


def send_offer_email(registration: Registration) -> None:
    """A seat is offered from the waitlist: accept it from the private link before it ends."""
    if registration.person.email:
        _send(registration, "offer", {})


def send_group_email(*, group: RegistrationGroup, token: str) -> None:
    """The head of delegation's summary: every delegate, the GRP reference, the total and
    the private link to manage the delegation."""
    from registrations.queries import settings_for
    from registrations.services.groups import group_amount_due_minor

    if not group.contact.email:
        return
    language = group.language or "en"
    with translation.override(language):
        path = reverse("registrations:group_page", kwargs={"token": token})
    send_templated_email(
        to=group.contact.email,
        template="registrations/email/group",
        context={
            "group": group,
            "congress": group.congress,
            "delegates": list(
                group.registrations.select_related("person").order_by("created_at", "id")
            ),
            "amount_due_minor": group_amount_due_minor(group=group),
            "currency": group.congress.currency,
            "settings": settings_for(congress=group.congress),
            "link": f"{settings.SITE_URL}{path}",
        },
        language=language,
        time_zone=group.congress.tzinfo,
    )


def send_link_email(*, registration: Registration, token: str) -> None:
    """A new private link, asked for again (by the registrant or an organiser)."""
    if registration.person.email:
        language = registration.language or "en"
        _send(registration, "link", {"link": self_service_url(token=token, language=language)})
