"""Transactional e-mail of the apps below messaging goes through common.mail's queue."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from registrations.models import Registration
from registrations.signals import registration_confirmed
from tests.factories.registrations import RegistrationFactory


@pytest.mark.django_db(transaction=True)
def test_badge_email_that_failed_is_retried_and_arrives_with_its_badge(smtp_server, task_worker):
    registration = RegistrationFactory(person__email="amal@example.org", person__name="Amal")
    smtp_server.down()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        registration_confirmed.send(sender=Registration, registration=registration)
        task_worker.run()
    smtp_server.up()
    with time_machine.travel(start + datetime.timedelta(minutes=2), tick=False):
        task_worker.run()

    [message] = smtp_server.messages
    attachments = [
        (part.get_filename(), part.get_content_type())
        for part in message.message.iter_attachments()
    ]
    assert (message.to, attachments) == (
        ["amal@example.org"],
        [("badge.pdf", "application/pdf")],
    )
