"""Mailing benchmark (issue 14): a mailing to 5,000 recipients sent through a local SMTP
server (aiosmtpd on loopback) by the real task worker (`manage.py db_worker --batch` in its
own process, production settings, the database task backend), each message rendered in the
person's language with its own unsubscribe link. Reports the worker's throughput (messages
per second, from the worker's start to its exit) and its peak memory (max RSS).

Run: `python benchmarks/run.py mailing` (SQLite file; PostgreSQL when DATABASE_URL is set).
"""

import json
import logging
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import setup_django

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = 5000
RUNS = 2


class _Counter:
    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _arrange() -> int:
    from members.models import Person
    from registrations.models import Registration, RegistrationCategory
    from tests.factories.congress import CongressFactory

    congress = CongressFactory(slug="bench-mailing", working_languages=["en", "fr", "ar"])
    category = RegistrationCategory.objects.create(
        congress=congress, code="participant", kind="participant", name="Participant"
    )
    languages = ["en", "fr", "ar"]
    people = Person.objects.bulk_create(
        Person(name=f"Participant {index}", email=f"p{index}@example.org", country="MA")
        for index in range(RECIPIENTS)
    )
    Registration.objects.bulk_create(
        Registration(
            congress=congress, person=person, category=category, status="confirmed",
            language=languages[index % 3], amount_due_minor=20000,
            payment_reference=f"REG-{index:05d}",
        )
        for index, person in enumerate(people)
    )  # fmt: skip
    return congress.pk


def _queue_mailing(congress_id: int) -> int:
    from django.test import override_settings

    from congress.models import Congress
    from messaging.audience import Audience
    from messaging.services import create_mailing

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        mailing = create_mailing(
            congress=Congress.objects.get(pk=congress_id),
            audience=Audience(),
            subjects={"en": "News", "fr": "Nouvelles", "ar": "أخبار"},
            bodies={
                "en": "Dear {name}, you owe {amount_due} (reference {reference}).",
                "fr": "Cher {name}, il reste {amount_due} (référence {reference}).",
                "ar": "عزيزي {name}، المبلغ المستحق {amount_due} (المرجع {reference}).",
            },
            actor=None,
        )
    return mailing.recipient_count


def _run_worker(port: int) -> tuple[float, int]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
         "--interval", "0", "--no-reload", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kib


def run() -> list[dict]:
    setup_django()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command log
    from aiosmtpd.controller import Controller

    counter = _Counter()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        congress_id = _arrange()
        timings, peaks = [], []
        for _run in range(RUNS):
            counter.recipients.clear()
            queued = _queue_mailing(congress_id)
            seconds, peak_kib = _run_worker(port)
            assert queued == RECIPIENTS
            assert sorted(counter.recipients) == sorted(
                f"p{index}@example.org" for index in range(RECIPIENTS)
            )
            timings.append(seconds)
            peaks.append(peak_kib)
    finally:
        controller.stop()
    median_s = statistics.median(timings)
    return [
        {
            "name": f"mailing to {RECIPIENTS:,} recipients through local SMTP (db_worker)",
            "median_ms": median_s * 1000,
            "baseline_ms": 0,
            "runs": RUNS,
            "notes": (
                f"{RECIPIENTS / median_s:.0f} messages/s; worker peak memory "
                f"{max(peaks) / 1024:.0f} MiB (max RSS); each sent once"
            ),
        }
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(json.dumps(run(), indent=2))
