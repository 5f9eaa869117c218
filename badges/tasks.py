"""Background tasks (django-tasks): thin, load by id and call a service."""

from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from badges.models import Credential
from badges.services import render_registration_badge


@task()
def send_badge_email_task(credential_id: int) -> None:
    """Mail the participant their badge (PDF with the QR) in their own language."""
    credential = Credential.objects.select_related(
        "registration__person", "registration__congress"
    ).get(pk=credential_id)
    if credential.revoked_at is not None:
        return
    registration = credential.registration
    person = registration.person
    if not person.email:
        return
    with translation.override(person.preferred_language):
        with render_registration_badge(registration=registration) as pdf:
            content = pdf.read()
        message = EmailMessage(
            subject=gettext("Your badge for %(congress)s") % {"congress": registration.congress},
            body=gettext(
                "Dear %(name)s,\n\nyour badge for %(congress)s is attached. Print it or show "
                "its QR code on your phone at the entrance. You can also download it again "
                "from your registration page.\n"
            )
            % {"name": person.name, "congress": registration.congress},
            to=[person.email],
        )
        message.attach("badge.pdf", content, "application/pdf")
        message.send()
