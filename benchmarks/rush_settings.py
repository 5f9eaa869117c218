"""Settings of the gunicorn server started by bench_registration_rush.py (not a benchmark
module): the test settings (production settings, DEBUG off, no HTTPS redirect) with
e-mails queued in the database as in production (TASKS_BACKEND, no worker runs them), a
registration rate limit that 50 clients on one address do not reach, and quiet logs."""

import os

from config.settings.test import *  # noqa: F403

REGISTRATION_RATE_LIMIT = os.environ.get("REGISTRATION_RATE_LIMIT", "1000000/3600")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
