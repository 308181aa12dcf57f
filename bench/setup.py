"""What every Python benchmark does first: find the project, pick the database, start Django.

    from bench.setup import start
    start()                       # DATABASE_URL, or SQLite in a scratch folder
    start(postgres="srm_bench")   # that scratch database on BENCH_PG_URL's server, recreated

Benchmarks run with DEBUG off (templates and queries as in production) and
migrate their database themselves.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_available() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_SERVER, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def recreate_pg(name: str) -> str:
    """Drop and create the scratch database ``name`` on BENCH_PG_URL's server; its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_SERVER, autocommit=True) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def start(*, postgres: str | None = None) -> str:
    """Set the database up and start Django; returns the database's URL."""
    sys.path.insert(0, str(ROOT))
    if postgres:
        os.environ["DATABASE_URL"] = recreate_pg(postgres)
    else:
        scratch = tempfile.mkdtemp(prefix="srm-bench-")
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no line per task run
    # WhiteNoise warns that collectstatic never ran (here and in the servers started).
    os.environ.setdefault("PYTHONWARNINGS", "ignore:No directory at")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="srm-bench-media-"))
    # WhiteNoise warns that collectstatic never ran: pages are measured, not assets.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


@contextmanager
def gunicorn(port: int, **env: str) -> Iterator[str]:
    """The portal under gunicorn as the image runs it (gunicorn.conf.py; WEB_CONCURRENCY
    workers, 4 unless set) on this run's database, on ``port``; yields its base URL.
    No broker: tasks (an applied import) run in the request, as in development."""
    import subprocess
    import time
    import urllib.request

    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            *(str(ROOT / ".venv/bin/gunicorn"), "--config", str(ROOT / "gunicorn.conf.py")),
            *("portal.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", os.environ.get("WEB_CONCURRENCY", "4"), "--log-level", "warning"),
            *("--access-logfile", "/dev/null"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "PORTAL_ENV": "development",
            "API_THROTTLE_USER": "100000/min",
            "CELERY_BROKER_URL": "",
            **env,
        },
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait()
