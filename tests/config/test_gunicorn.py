"""The production server's configuration (gunicorn.conf.py) and the warm-up it runs."""

import os
import runpy
from pathlib import Path

from django.conf import settings

from common.pdf import fonts
from config.warmup import warm_up


def test_gunicorn_conf_uses_threaded_preloaded_workers_and_logs_no_query_string(monkeypatch):
    for name in ("DATABASE_POOL_MAX_SIZE", "DATABASE_TIME_LIMITS"):
        monkeypatch.setenv(name, "")  # remembers the value to restore after the test
        monkeypatch.delenv(name)
    monkeypatch.setenv("GUNICORN_THREADS", "6")

    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))

    assert (conf["worker_class"], conf["threads"], conf["preload_app"]) == ("gthread", 6, True)
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 30)
    # Keep-alive connections spread over the workers instead of piling onto one.
    assert conf["worker_connections"] == 24
    assert conf["access_log_format"] == '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
    assert (os.environ["DATABASE_POOL_MAX_SIZE"], os.environ["DATABASE_TIME_LIMITS"]) == (
        "6",
        "web",
    )


def test_warm_up_registers_every_pdf_font_before_the_fork():
    warm_up()

    expected = {(family, weight) for family in fonts.WARM_FAMILIES for weight in fonts.WEIGHTS}
    assert expected - set(fonts._registered) == set()
