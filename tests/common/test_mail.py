import smtplib
from types import SimpleNamespace

from django.core import mail
from django.core.mail.backends import locmem

from common.mail import Attachment, send_templated_email


def _send(**overrides) -> bool:
    arguments = {
        "to": "amina@example.org",
        "template": "badges/email/badge",
        "context": {"person": SimpleNamespace(name="Amina O'Brien"), "congress": "Rights & Law"},
        "language": "fr",
    }
    return send_templated_email(**{**arguments, **overrides})


def test_send_templated_email_renders_in_the_recipients_language_without_html_escaping():
    sent = _send()

    assert sent is True
    assert (mail.outbox[0].subject, mail.outbox[0].body.splitlines()[0]) == (
        "Votre badge pour Rights & Law",
        "Bonjour Amina O'Brien,",
    )
    assert (mail.outbox[0].to, mail.outbox[0].from_email) == (
        ["amina@example.org"],
        "congress@example.org",
    )


def test_send_templated_email_carries_attachments():
    _send(attachments=[Attachment("badge.pdf", b"%PDF-1.4", "application/pdf")])

    assert mail.outbox[0].attachments == [("badge.pdf", b"%PDF-1.4", "application/pdf")]


def test_send_templated_email_without_address_sends_nothing():
    sent = _send(to="")

    assert (sent, len(mail.outbox)) == (False, 0)


class RefusingBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


def test_send_templated_email_with_mail_server_down_returns_false_and_logs_no_address(
    settings, caplog
):
    settings.EMAIL_BACKEND = "tests.common.test_mail.RefusingBackend"

    sent = _send()

    assert (sent, len(mail.outbox)) == (False, 0)
    assert [record.getMessage() for record in caplog.records] == [
        "e-mail not sent: SMTPServerDisconnected"
    ]
