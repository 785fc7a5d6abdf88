"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py portal.wsgi`.

Every value can be overridden with the environment (GUNICORN_CMD_ARGS or the variables below).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the portal's views are short and database-bound, and whole public pages come
# from the cache. Each worker keeps one persistent PostgreSQL connection (CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a load balancer that keeps connections open, stay open a little longer than it does.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so that a slow leak can never grow without bound; not often,
# since a new worker starts with none of the pages and form shells its predecessor had in
# memory (it takes them from Redis again) and queues requests while it does: at 5000 a busy
# worker was recycled every few seconds, and those moments made the slowest 1% of warm-page
# requests take 100 to 900 ms instead of about 40 (bench/README.md, 2026-12-02).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# Django is imported once, in the master, and each worker is a fork of it: a recycled worker
# is serving again within milliseconds instead of spending a second of CPU importing the
# project on a busy machine. Nothing opens a connection at import time (the database, Redis
# and the page cache are per process and opened on first use). A deploy restarts gunicorn
# rather than sending HUP, which would not reload preloaded code.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
# The worker heartbeat file on a RAM disk where there is one: a slow disk must not look like
# a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# "-" logs requests to stdout; an empty GUNICORN_ACCESS_LOG turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the load balancer may say which scheme and client address a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
