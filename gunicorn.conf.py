"""gunicorn's settings for the portal (read from the working directory: the image's /app).

Chosen for what the web processes do now that the slow work runs in the Celery
worker (imports and PDF renders are queued, the pages poll them):

- Sync workers, one request at a time each, behind a buffering proxy (the compose
  file's nginx): the proxy absorbs slow clients, so a worker is busy only while
  Django works. The worker timeout then bounds every request: a request still
  running after ``timeout`` seconds is a bug or a stuck backend, and its worker is
  killed and replaced. (A threaded worker would keep answering the arbiter while a
  thread hangs, so nothing would bound that request.)
- ``timeout`` 60 s: the longest synchronous requests are well under it (a 10,000-row
  import's dry run and a gated 180-page PDF stamped for its reader take a few
  seconds; bench/ measures them); the proxy waits a little longer than this.
- ``workers`` from WEB_CONCURRENCY (gunicorn's own variable), default 2 x CPUs + 1,
  per container. Each holds one database connection: replicas x workers (+ the
  Celery worker's processes) must stay under PostgreSQL's max_connections (100).
- Workers are recycled after about 2,000 requests, so a slow leak cannot grow.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = 60
graceful_timeout = 30  # time for running requests to finish on a stop or a restart
keepalive = 5  # seconds an idle connection from the proxy stays open
max_requests = 2000
max_requests_jitter = 200  # so the workers are not all recycled at once
# Heartbeat files in memory, off the (possibly slow) container disk, where there is one.
# (gunicorn creates and unlinks its own files there, as it does in /tmp.)
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
accesslog = "-"
errorlog = "-"
