"""A real SMTP server on loopback (aiosmtpd) and a real task worker (django-tasks' database
backend), for the tests of queued e-mail. Imported by tests/conftest.py.

The SMTP server starts once per test session (the fixed cost is paid once); `smtp_server`
empties its mailbox before each test, points Django's SMTP backend at it, and can be taken
down and brought back (`down()`, `up()`): connections are then refused, as with a mail
server that is down. `task_worker` switches the task backend to the database one and runs
the worker in the test's thread (`run()`: everything that is due, then return).
"""

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class ReceivedMessage:
    to: list[str]
    subject: str
    body: str
    language: str
    message: email.message.EmailMessage


@dataclass
class _Mailbox:
    messages: list[ReceivedMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain",)) if parsed.is_multipart() else parsed
        self.messages.append(
            ReceivedMessage(
                to=list(envelope.rcpt_tos),
                subject=str(parsed["Subject"]),
                body=part.get_content(),
                language=str(parsed.get("Content-Language", "")),
                message=parsed,
            )
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.mailbox = _Mailbox()
        self.port = _free_port()
        self.controller = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.mailbox.messages

    def up(self) -> None:
        if self.controller is None:
            self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def down(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="session")
def _smtp_server_session():
    server = SMTPServer()
    server.up()
    yield server
    server.down()


@pytest.fixture
def smtp_server(_smtp_server_session, settings) -> SMTPServer:
    server = _smtp_server_session
    server.up()
    server.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.up()


class TaskWorker:
    def run(self, *, max_tasks: int | None = None) -> int:
        """Run every task that is due now (and those they queue that are due), in this
        thread, like `manage.py db_worker --batch`; returns how many ran."""
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction

        worker = Worker(
            queue_names=["*"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=max_tasks, worker_id="test-worker",
            excluded_queue_names=[],
        )  # fmt: skip
        ran = 0
        while max_tasks is None or ran < max_tasks:
            with exclusive_transaction():
                result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
                if result is not None:
                    result.claim(worker.worker_id)
            if result is None:
                return ran
            worker.run_task(result)
            ran += 1
        return ran

    def pending(self) -> int:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status="READY").count()


@pytest.fixture
def task_worker(settings) -> TaskWorker:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return TaskWorker()
