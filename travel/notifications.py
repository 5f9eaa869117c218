"""E-mails to applicants, in their own language, sent after the decision commits."""

from django.db import transaction
from django.utils import translation

from common.formatting import format_money
from common.mail import send_templated_email
from travel.models import GrantApplication


def _language(application: GrantApplication) -> str:
    registration = application.registration
    return registration.language or registration.person.preferred_language or "en"


def _award_rows(application: GrantApplication, language: str) -> list[dict]:
    with translation.override(language):
        return [
            {
                "cost_type": str(award.get_cost_type_display()),
                "amount": format_money(award.amount_minor, award.budget_line.currency, language),
            }
            for award in application.awards.select_related("budget_line").order_by("pk")
        ]


def _send(application: GrantApplication, template: str) -> None:
    application = GrantApplication.objects.select_related("registration__person", "congress").get(
        pk=application.pk
    )
    registration = application.registration
    language = _language(application)
    send_templated_email(
        to=registration.person.email,
        template=f"travel/email/{template}",
        context={
            "application": application,
            "registration": registration,
            "congress": application.congress,
            "awards": _award_rows(application, language),
        },
        language=language,
        time_zone=application.congress.tzinfo,
    )


def send_award_letter_on_commit(application: GrantApplication) -> None:
    transaction.on_commit(lambda: _send(application, "award"))


def send_refusal_on_commit(application: GrantApplication) -> None:
    transaction.on_commit(lambda: _send(application, "refusal"))
