"""Settings of the gunicorn server started by bench_programme_load.py (not a benchmark module).

bench_checkin's server settings, with the shared cache under a key prefix of this run (the
Redis server is shared with other runs and tests).
"""

import os

from checkin_settings import *  # noqa: F403
from checkin_settings import CACHES

CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "")}}
