"""Settings of the gunicorn server started by bench_checkin.py (not a benchmark module).

The test settings (production settings, DEBUG off, no HTTPS redirect, fast password hasher)
with the per-device scan limit raised from the environment, for that server only.
"""

import os

from config.settings.test import *  # noqa: F403

BADGES_SCANS_PER_MINUTE = int(os.environ.get("BADGES_SCANS_PER_MINUTE", "120"))
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# bench_checkin's "before" server: the ORM path and no caching of token, role and entrance.
BADGES_SCAN_FAST_PATH = os.environ.get("BADGES_SCAN_FAST_PATH", "1") == "1"
BADGES_SCAN_CONTEXT_SECONDS = int(os.environ.get("BADGES_SCAN_CONTEXT_SECONDS", "30"))
BADGES_AUTH_CACHE_SECONDS = int(os.environ.get("BADGES_AUTH_CACHE_SECONDS", "30"))
