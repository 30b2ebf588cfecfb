"""gunicorn settings, read automatically when gunicorn starts in this folder:
`gunicorn wsgi:app`. Every value can be set from the environment.

WEB_CONCURRENCY  worker processes (default: 2 per CPU core, plus 1)
GUNICORN_THREADS threads per worker (default 1; more than 1 uses the gthread worker,
                 which helps when requests wait on a remote database)
PORT             port to listen on (default 8000, all interfaces)
"""

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# Logs go to stdout/stderr, where containers and systemd collect them.
accesslog = "-"
errorlog = "-"
