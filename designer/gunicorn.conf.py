"""gunicorn's settings in production: ``gunicorn -c designer/gunicorn.conf.py designer.wsgi``.

Each value comes from the environment, with the defaults below. The access log goes to stdout,
the error log to stderr, both through ``ScrubbingLogger`` (``designer/gunicorn_logging.py``):
no query value, machine token (``/sim/<token>/``, ``/hooks/<token>/``) or credential header
reaches them.
"""

from __future__ import annotations

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads, not one request per process: the simulator's fire answers only once it has delivered
# to /hooks/<token>/ on this same server, so a request must be able to wait for another one.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# The longest request is the simulator's "slow" fault (SIMULATOR_SLOW_SECONDS, 20 s by default)
# or a fire delivering to a few hooks (5 s each at most); a worker silent for longer is stuck.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Only the proxy in front may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
logger_class = "designer.gunicorn_logging.ScrubbingLogger"
