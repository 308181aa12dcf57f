"""`make bench`: server time and SQL query count of the matrix pages.

Runs against a throw-away SQLite database (or DATABASE_URL if set, whose
database it fills: point it at a scratch one), with the demo data and a
synthetic 200 domains x 6 offerings x 3 parties matrix (3,600 duties).
Server time is measured in-process through Django's test client, so it
covers URL routing, views, queries and template rendering, not the network.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="srm-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DEBUG"] = "0"  # templates and queries as in production

import warnings  # noqa: E402

import django  # noqa: E402

# WhiteNoise warns that collectstatic never ran; pages are measured, not assets.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from audit.context import acting_as  # noqa: E402
from matrices.demo.loader import demo_load, demo_publish  # noqa: E402
from matrices.demo.synthetic import synthetic_provider_create  # noqa: E402
from matrices.models import Provider  # noqa: E402
from matrices.services import draft_approve, draft_submit  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def measure(client: Client, url: str) -> tuple[float, float, int, int, float]:
    """(median ms, min ms, queries, bytes, cached median ms) over RUNS requests.

    The first figures render the page (the page cache is emptied before each
    request); the last one is a repeat request served from the page cache.
    """
    client.get(url)
    timings = []
    for _ in range(RUNS):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the next request resets the query log
    cached = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        cached.append((time.perf_counter() - started) * 1000)
    return (
        statistics.median(timings),
        min(timings),
        query_count,
        len(response.content),
        statistics.median(cached),
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    with acting_as("command:bench"):
        demo_load()
        demo_publish()
        if not Provider.objects.filter(slug="synthetic").exists():
            synthetic = synthetic_provider_create(domains=200, offerings=6, parties=3)
            submission = draft_submit(actor=None, provider=synthetic, summary="Synthetic.")
            draft_approve(actor=None, submission=submission, expected_hash=submission.snapshot_hash)
    client = Client()
    cases = [
        ("SingleStore 15x3x2", "matrix", "/providers/singlestore/"),
        ("SingleStore 15x3x2", "offering", "/providers/singlestore/offerings/helios-byoc/"),
        ("SingleStore 15x3x2", "checklist", "/providers/singlestore/offerings/helios/checklist/"),
        ("SingleStore 15x3x2", "compare", "/providers/singlestore/compare/?o=helios&o=helios-byoc"),
        ("Synthetic 200x6x3", "matrix", "/providers/synthetic/"),
        ("Synthetic 200x6x3", "offering", "/providers/synthetic/offerings/offering-3/"),
        ("Synthetic 200x6x3", "checklist", "/providers/synthetic/offerings/offering-3/checklist/"),
        (
            "Synthetic 200x6x3",
            "compare",
            "/providers/synthetic/compare/?" + "&".join(f"o=offering-{i}" for i in range(1, 7)),
        ),
        ("all providers", "home", "/"),
        ("all providers", "search", "/search/?q=encrypt"),
    ]
    print(
        f"database: {connection.vendor}; {RUNS} runs per page after a warm-up; anonymous "
        "visitor, published version (rendered, then from the page cache)"
    )
    print(
        f"{'matrix':<20} {'page':<10} {'median ms':>10} {'min ms':>8} {'queries':>8} "
        f"{'KiB':>7} {'cached ms':>10}"
    )
    for matrix, page, url in cases:
        median, fastest, queries, size, cached = measure(client, url)
        kib = size / 1024
        print(
            f"{matrix:<20} {page:<10} {median:>10.1f} {fastest:>8.1f} {queries:>8} "
            f"{kib:>7.0f} {cached:>10.1f}"
        )


if __name__ == "__main__":
    main()
