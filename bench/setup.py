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
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="srm-bench-media-"))
    # WhiteNoise warns that collectstatic never ran: pages are measured, not assets.
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]
