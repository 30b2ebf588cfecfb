"""gunicorn settings, read automatically when gunicorn starts in this folder:
`gunicorn wsgi:app`. Every value can be set from the environment.

WEB_CONCURRENCY  worker processes (default: 2 per CPU core, plus 1)
GUNICORN_THREADS threads per worker (default 4)
BIND             address to listen on (default 127.0.0.1:$PORT: only this machine; put a
                 reverse proxy in front, or set BIND=0.0.0.0:8000 to listen on every interface)
PORT             port to listen on (default 8000)
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers: a slow or half-open client holds one thread at most, and idle
# keep-alive connections wait in the worker's poller, not in a thread. (gunicorn's sync
# workers give a whole process to each connection: five slow clients stall a
# five-worker site.)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Logs go to stdout/stderr, where containers and systemd collect them.
accesslog = "-"
errorlog = "-"
