"""`make bench`, API part: the whole matrix in one call, and importing a long-format file.

1. ``GET /api/v1/providers/{slug}/matrix/``: the published version (an anonymous
   visitor, ``?version=latest``) and the draft (an editor, ``?version=draft``,
   built live by ``snapshot_build``), on the SingleStore demo matrix and on two
   synthetic ones: 200 domains x 6 offerings x 3 parties (1,200 cells, 3,600
   duties, as in ``bench/pages.py``) and 600 x 6 x 3 (3,600 cells, 10,800 duties).
   Median and p95 server time over BENCH_API_RUNS requests, queries, size.
2. ``POST /api/v1/providers/{slug}/import/``: a 3,600-row long-format CSV (one row
   per domain, offering and party of a 200 x 6 x 3 synthetic matrix), dry run then
   apply, as an editor: (a) into an empty provider, (b) the same file with every
   tenth duty reworded (360 rows, 360 cells) into the provider it was imported
   into. Then the same two through the services, to attribute the time.

Runs against a throw-away SQLite database (or DATABASE_URL if set, whose
database it fills: point it at a scratch one). ``bench/api.py matrix`` or
``bench/api.py import`` runs one part. Times are in-process, through Django's
test client. A matrix read's queries are counted on one more request (recording
them slows SQLite down); an import's are counted as it runs, without a log.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="srm-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DEBUG"] = "0"

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.roles import Role  # noqa: E402
from accounts.services import role_set  # noqa: E402
from audit.context import acting_as  # noqa: E402
from audit.models import AuditRecord  # noqa: E402
from matrices.demo.loader import demo_load, demo_publish  # noqa: E402
from matrices.demo.synthetic import synthetic_provider_create  # noqa: E402
from matrices.exchange.files import read_upload, write_csv  # noqa: E402
from matrices.exchange.longformat import parse_rows, rows_from_snapshot  # noqa: E402
from matrices.models import Provider  # noqa: E402
from matrices.services import (  # noqa: E402
    draft_approve,
    draft_submit,
    provider_create,
)
from matrices.services.imports import import_apply, import_plan  # noqa: E402
from matrices.snapshot import snapshot_build  # noqa: E402

RUNS = int(os.environ.get("BENCH_API_RUNS", "30"))
IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "1"))  # an apply takes seconds
DRY_RUNS = int(os.environ.get("BENCH_DRY_RUNS", "5"))
EDITOR = "bench-editor"


def editor_of(*providers: Provider):
    """The bench's editor user, given the editor role on each of ``providers``."""
    user, _ = get_user_model().objects.get_or_create(username=EDITOR)
    for provider in providers:
        role_set(actor=None, provider=provider, principal=user, role=Role.EDITOR)
    return user


def synthetic_published(slug: str, domains: int) -> Provider:
    """A synthetic domains x 6 x 3 provider with one published version (kept between runs)."""
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        provider = synthetic_provider_create(slug=slug, domains=domains, offerings=6, parties=3)
        submission = draft_submit(actor=None, provider=provider, summary="Synthetic.")
        draft_approve(actor=None, submission=submission, expected_hash=submission.snapshot_hash)
    return provider


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[-1]


def measure_get(client: Client, url: str) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, bytes) of RUNS requests after a warm-up."""
    client.get(url)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings), p95(timings), len(queries), len(response.content)


def matrix_bench() -> None:
    with acting_as("command:bench"):
        demo_load()
        demo_publish()
        medium = synthetic_published("synthetic", 200)
        large = synthetic_published("synthetic-large", 600)
        editor = editor_of(Provider.objects.get(slug="singlestore"), medium, large)
    visitor, member = Client(), Client()
    member.force_login(editor)
    print(
        f"\nGET /api/v1/providers/{{slug}}/matrix/ on {connection.vendor}; "
        f"{RUNS} requests each after a warm-up"
    )
    print(
        f"{'matrix':<34} {'version':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KiB':>7}"
    )
    for label, slug in (
        ("SingleStore 15x3x2 (6 cells)", "singlestore"),
        ("Synthetic 200x6x3 (1,200 cells)", medium.slug),
        ("Synthetic 600x6x3 (3,600 cells)", large.slug),
    ):
        for version, client, query in (
            ("latest (visitor)", visitor, "latest"),
            ("draft (editor)", member, "draft"),
        ):
            url = f"/api/v1/providers/{slug}/matrix/?version={query}"
            median, slow, queries, size = measure_get(client, url)
            print(
                f"{label:<34} {version:<16} {median:>10.1f} {slow:>8.1f} "
                f"{queries:>8} {size / 1024:>7.0f}"
            )


# --- import ------------------------------------------------------------------


def free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no provider has yet."""
    slug, index = base, 2
    while Provider.objects.filter(slug=slug).exists():
        slug, index = f"{base}-{index}", index + 1
    return slug


def import_files() -> tuple[bytes, bytes]:
    """A 200 x 6 x 3 matrix as CSV (3,600 rows), and the same with every tenth duty reworded."""
    with acting_as("command:bench"):
        source = synthetic_provider_create(slug=free_slug("import-source"), domains=200)
    rows = rows_from_snapshot(snapshot_build(source))
    assert len(rows) == 3600, len(rows)
    edited = [
        {**row, "duty": row["duty"] + " Reviewed every quarter."} if index % 10 == 0 else row
        for index, row in enumerate(rows)
    ]
    return write_csv(rows), write_csv(edited)


def empty_provider(editor) -> Provider:
    with acting_as("command:bench"):
        slug = free_slug("import-target")
        provider = provider_create(name=slug.replace("-", " ").title(), slug=slug)
        editor_of(provider)
    return provider


class QueryCounter:
    """Counts the queries run inside ``connection.execute_wrapper(counter)``.

    Unlike CaptureQueriesContext it keeps no log (which stops at 9,000 queries)
    and costs next to nothing, so timed runs count their own queries.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def phase(step: Callable[[], object], *, repeat: int = 1) -> tuple[float, int, int]:
    """(median ms, queries, audit records written) of ``step`` run ``repeat`` times.

    Queries and records are those of one run.
    """
    timings = []
    for _ in range(repeat):
        records = AuditRecord.objects.count()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            step()
            timings.append((time.perf_counter() - started) * 1000)
        records = AuditRecord.objects.count() - records
    return statistics.median(timings), counter.count, records


def over_http(client: Client, provider: Provider, content: bytes) -> list[tuple]:
    """Dry run, then apply with its base_hash: [(ms, queries, audit records)] for each."""
    url = f"/api/v1/providers/{provider.slug}/import/"
    plan: dict = {}

    def dry_run() -> None:
        response = client.post(url, {"file": SimpleUploadedFile("matrix.csv", content)})
        assert response.status_code == 200, response.content[:500]
        plan.update(response.json())

    def apply() -> None:
        response = client.post(
            url,
            {
                "file": SimpleUploadedFile("matrix.csv", content),
                "apply": "true",
                "expected_hash": plan["base_hash"],
            },
        )
        assert response.status_code == 200, response.content[:500]

    return [phase(dry_run, repeat=DRY_RUNS), phase(apply)]


def through_services(editor, provider: Provider, content: bytes) -> list[tuple]:
    """Read, dry run, apply (which plans again): [(ms, queries, audit records)] for each."""
    state: dict = {}

    def read() -> None:
        state["parsed"] = parse_rows(read_upload("matrix.csv", content), source="matrix.csv")

    def dry_run() -> None:
        state["plan"] = import_plan(actor=editor, provider=provider, parsed=state["parsed"])

    def apply() -> None:
        with acting_as(editor.username, user=editor):
            import_apply(
                actor=editor,
                provider=provider,
                parsed=state["parsed"],
                expected_hash=state["plan"].base_hash,
                reason="",
            )

    return [phase(read, repeat=DRY_RUNS), phase(dry_run, repeat=DRY_RUNS), phase(apply)]


def import_bench() -> None:
    original, edited = import_files()
    editor = editor_of()
    client = Client()
    client.force_login(editor)
    print(
        f"\nImporting a 3,600-row long-format CSV ({len(original) / 1024:.0f} KiB; "
        f"200 domains x 6 offerings x 3 parties) on {connection.vendor}; as an editor; "
        f"reads and dry runs: median of {DRY_RUNS}; applies: median of {IMPORT_RUNS}"
    )
    print(f"{'path':<9} {'case':<34} {'step':<9} {'ms':>9} {'queries':>8} {'audit recs':>11}")
    for path, steps, run in (
        ("HTTP", ("dry run", "apply"), over_http),
        ("services", ("read", "dry run", "apply"), through_services),
    ):
        actor = client if run is over_http else editor
        results: dict[str, list[list[tuple]]] = {"empty": [], "edited": []}
        for _ in range(IMPORT_RUNS):
            provider = empty_provider(editor)
            results["empty"].append(run(actor, provider, original))
            results["edited"].append(run(actor, provider, edited))
        for case, label in (
            ("empty", "(a) into an empty provider"),
            ("edited", "(b) 10% of duties changed"),
        ):
            total = 0.0
            for index, step in enumerate(steps):
                ms = statistics.median(attempt[index][0] for attempt in results[case])
                _, queries, records = results[case][-1][index]
                total += ms
                print(f"{path:<9} {label:<34} {step:<9} {ms:>9.0f} {queries:>8} {records:>11}")
            print(f"{path:<9} {label:<34} {'total':<9} {total:>9.0f}")


def main() -> None:
    call_command("migrate", verbosity=0)
    parts = sys.argv[1:] or ["matrix", "import"]
    if "matrix" in parts:
        matrix_bench()
    if "import" in parts:
        import_bench()


if __name__ == "__main__":
    main()
