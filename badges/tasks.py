"""Background tasks (django-tasks): thin, load by id and call a service."""

from django.utils import translation
from django_tasks import task

from badges.models import Credential
from badges.services import render_registration_badge
from common.mail import Attachment, send_templated_email


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
    send_templated_email(
        to=person.email,
        template="badges/email/badge",
        context={"person": person, "congress": registration.congress},
        language=person.preferred_language,
        attachments=[Attachment("badge.pdf", content, "application/pdf")],
    )
