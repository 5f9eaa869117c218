import datetime
import smtplib
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from common.mail import Attachment, last_send_error, retry_delay, send_templated_email

pytestmark = pytest.mark.django_db


def _send(**overrides) -> bool:
    arguments = {
        "to": "amina@example.org",
        "template": "badges/email/badge",
        "context": {"person": SimpleNamespace(name="Amina O'Brien"), "congress": "Rights & Law"},
        "language": "fr",
    }
    return send_templated_email(**{**arguments, **overrides})


def test_send_templated_email_renders_in_the_recipients_language_without_html_escaping(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = _send()

    assert queued is True
    assert (mail.outbox[0].subject, mail.outbox[0].body.splitlines()[0]) == (
        "Votre badge pour Rights & Law",
        "Bonjour Amina O'Brien,",
    )
    assert (mail.outbox[0].to, mail.outbox[0].from_email) == (
        ["amina@example.org"],
        "congress@example.org",
    )


def test_send_templated_email_is_sent_only_after_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send()

    assert (len(callbacks), mail.outbox) == (1, [])


def test_send_templated_email_carries_attachments_through_the_queue(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(attachments=[Attachment("badge.pdf", b"%PDF-1.4\x00\xff", "application/pdf")])

    assert mail.outbox[0].attachments == [("badge.pdf", b"%PDF-1.4\x00\xff", "application/pdf")]


def test_send_templated_email_without_address_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = _send(to="")

    assert (queued, len(callbacks), len(mail.outbox)) == (False, 0, 0)


class RefusingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


def test_send_templated_email_with_mail_server_down_logs_the_kind_and_no_address(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.common.test_mail.RefusingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        queued = _send()

    assert (queued, len(mail.outbox)) == (True, 0)
    assert [record.getMessage() for record in caplog.records if record.name == "common.mail"] == [
        "e-mail not sent, given up after 1 attempts: SMTPServerDisconnected"
    ]


def test_last_send_error_tells_when_and_what_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.common.test_mail.RefusingBackend"
    failed_at = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)

    with (
        time_machine.travel(failed_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _send()

    error = last_send_error()
    assert (error.at, error.kind) == (failed_at, "SMTPServerDisconnected")


def test_retry_delay_doubles_from_one_minute_up_to_six_hours():
    assert [retry_delay(attempt).total_seconds() for attempt in (1, 2, 3, 10, 20)] == [
        60,
        120,
        240,
        21600,
        21600,
    ]


@pytest.mark.django_db(transaction=True)
def test_queued_email_while_the_server_is_down_is_retried_with_backoff_and_arrives(
    smtp_server, task_worker, caplog
):
    smtp_server.down()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _send()
        task_worker.run()
    smtp_server.up()

    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        too_early = task_worker.run()
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        task_worker.run()

    assert too_early == 0
    assert [(message.to, message.subject) for message in smtp_server.messages] == [
        (["amina@example.org"], "Votre badge pour Rights & Law")
    ]
    assert [record.getMessage() for record in caplog.records if record.name == "common.mail"] == [
        "e-mail not sent (attempt 1, retried): ConnectionRefusedError"
    ]


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_given_up_after_the_last_attempt(
    smtp_server, task_worker, settings, caplog
):
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp_server.down()
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        _send()
        task_worker.run()
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        task_worker.run()

    assert (task_worker.pending(), smtp_server.messages) == (0, [])
    assert [record.getMessage() for record in caplog.records if record.name == "common.mail"] == [
        "e-mail not sent (attempt 1, retried): ConnectionRefusedError",
        "e-mail not sent, given up after 2 attempts: ConnectionRefusedError",
    ]
