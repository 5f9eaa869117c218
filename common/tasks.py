"""The task that sends queued e-mail (common.mail.send_email) with retries and backoff."""

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from common.mail import MailNotSent, deliver_payload, enqueue_email, retry_delay

logger = logging.getLogger("common.mail")


@task()
def send_email_task(payload: dict, attempt: int = 1) -> bool:
    """Send one queued message. When the mail server fails, queue it again after
    `retry_delay(attempt)` until EMAIL_MAX_ATTEMPTS; then give up. Logs carry the error's
    kind and the attempt only. Returns True when sent.

    A backend that cannot run a task later (the immediate backend of development and of most
    tests) gets no retry: the failure is logged at once.
    """
    try:
        deliver_payload(payload)
    except MailNotSent as error:
        can_defer = send_email_task.get_backend().supports_defer
        if attempt < settings.EMAIL_MAX_ATTEMPTS and can_defer:
            logger.warning("e-mail not sent (attempt %d, retried): %s", attempt, error.kind)
            enqueue_email(
                payload, attempt=attempt + 1, run_after=timezone.now() + retry_delay(attempt)
            )
        else:
            logger.error("e-mail not sent, given up after %d attempts: %s", attempt, error.kind)
        return False
    return True
