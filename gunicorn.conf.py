"""gunicorn's configuration for production: `gunicorn config.wsgi` reads this file.

Every value can be changed with an environment variable (GUNICORN_*) or a command-line flag.
- Threaded workers (gthread): a worker waiting on the database or Stripe serves other
  requests meanwhile; each worker shares one PostgreSQL connection pool among its threads
  (DATABASE_POOL_MAX_SIZE defaults to the thread count), so 4 workers x 4 threads hold at
  most 16 connections instead of one per thread.
- Connections per worker capped (`worker_connections`, 4 x threads) so that keep-alive
  connections spread over the workers instead of piling onto one.
- Timeouts: a worker silent for `timeout` seconds is killed and replaced; the database's
  own limits (5 s a statement, 2 s a lock wait for web requests) answer long before.
- Graceful restarts: `kill -HUP <master pid>` reloads the code with new workers while the
  old ones finish their requests (up to `graceful_timeout`); each worker is also recycled
  after about `max_requests` requests.
- `preload_app`: the application and its heavy state (PDF fonts, badge renderer) load once
  in the master, before the fork (config/warmup.py): the first badge a worker draws costs no
  more than the next.
- The access log has no query string, referrer or user agent (a query string may carry a
  token): "address time "METHOD /path" status bytes duration".
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections one worker keeps at once (gunicorn's default is 1000). A worker takes every
# connection it can: with keep-alive, one worker could hold most of the clients' (or the
# reverse proxy's) connections and serve them on its threads while the others idle. Capped
# near what its threads serve, the connections spread over the workers: measured in the
# registration rush (50 clients, 4 x 4), p99 563 -> 460-483 ms. Size it to the connections
# expected / workers (at a door of 16 scanners on 2 workers: 8; docs/operations.md).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", str(threads * 4)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
preload_app = True
# Requests larger than the upload limit are refused by the reverse proxy first (README).
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# Read by the Django settings when the master loads the app (preload_app).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DATABASE_TIME_LIMITS", "web")
os.environ.setdefault("DATABASE_POOL_MAX_SIZE", str(threads))


def when_ready(server) -> None:
    """In the master, after the app is loaded and before the workers fork."""
    if os.environ.get("GUNICORN_WARM_UP", "1") == "1":
        from config.warmup import warm_up

        warm_up()
