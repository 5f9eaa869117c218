"""Several workers sending one mailing at once against PostgreSQL: each person once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from common.mail import deliver_email
from messaging import services
from messaging.audience import Audience
from messaging.models import MailingRecipient
from tests.factories.congress import CongressFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 4
PEOPLE = 20


def _race(function) -> list:
    barrier = threading.Barrier(WORKERS)

    def run(_index):
        try:
            barrier.wait()
            return function(barrier)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, range(WORKERS)))


def _mailing():
    congress = CongressFactory()
    for index in range(PEOPLE):
        RegistrationFactory(congress=congress, person__email=f"p{index}@example.org")
    return services.create_mailing(
        congress=congress, audience=Audience(), subjects={"en": "News"},
        bodies={"en": "Hello {name}"}, actor=None,
    )  # fmt: skip


def test_workers_racing_on_one_mailing_send_each_person_exactly_once(smtp_server, task_worker):
    mailing = _mailing()

    outcomes = _race(lambda _barrier: services.send_mailing_batch(mailing_id=mailing.pk))

    recipients = sorted(address for message in smtp_server.messages for address in message.to)
    assert recipients == sorted(f"p{index}@example.org" for index in range(PEOPLE))
    assert sum(outcome.sent for outcome in outcomes) == PEOPLE
    assert set(MailingRecipient.objects.values_list("state", flat=True)) == {"sent"}


def _send_without_lock(mailing_id, barrier):
    """The same claim-send-mark loop without SELECT ... FOR UPDATE SKIP LOCKED: the control."""
    sent = 0
    while True:
        with transaction.atomic():
            recipient = (
                MailingRecipient.objects.select_related("person")
                .filter(mailing_id=mailing_id, state="queued")
                .order_by("pk")
                .first()
            )
            if recipient is None:
                return sent
            barrier.wait(timeout=5)  # every worker has read the same row before any sends
            deliver_email(to=recipient.person.email, subject="News", body="Hello")
            MailingRecipient.objects.filter(pk=recipient.pk).update(state="sent")
            sent += 1


def test_control_without_the_row_lock_the_race_sends_duplicates(smtp_server, task_worker):
    mailing = _mailing()

    def run(barrier):
        try:
            return _send_without_lock(mailing.pk, barrier)
        except threading.BrokenBarrierError:
            return 0

    _race(run)

    recipients = [address for message in smtp_server.messages for address in message.to]
    assert len(recipients) > len(set(recipients))
