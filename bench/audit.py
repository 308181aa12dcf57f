"""`make bench`, audit part.

1. An audited cell edit against the same edit with the audit write switched
   off (target: at most 1.5x), on the scratch database this runs against.
2. The audit log's first page and filtered pages with 1,000,000 records, on
   PostgreSQL (target: under 50 ms server time). Set BENCH_PG_URL to a server
   where a scratch database ``srm_bench_audit`` may be created and dropped;
   it defaults to postgres://postgres@127.0.0.1:5432/postgres and the part is
   skipped when no server answers there.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_SCRATCH = "srm_bench_audit"
RECORDS = int(os.environ.get("BENCH_AUDIT_RECORDS", "1000000"))
EDITS = int(os.environ.get("BENCH_EDITS", "200"))

mode = sys.argv[1] if len(sys.argv) > 1 else "edit"
if mode == "log":
    os.environ["DATABASE_URL"] = PG_SERVER.rsplit("/", 1)[0] + "/" + PG_SCRATCH
else:
    scratch = tempfile.mkdtemp(prefix="srm-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DEBUG"] = "0"
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from audit.context import acting_as  # noqa: E402


def edit_bench() -> None:
    from matrices.demo.loader import demo_load
    from matrices.models import Cell, Party
    from matrices.services import DutyInput, cell_set
    from matrices.services import cells as cells_module

    call_command("migrate", verbosity=0)
    with acting_as("command:bench"):
        demo_load()
    cell = Cell.objects.select_related("offering", "domain").get(
        provider__slug="singlestore", offering__slug="helios", domain__slug="compliance"
    )
    customer = Party.objects.get(provider__slug="singlestore", role="customer")

    def run(label: str) -> list[float]:
        timings = []
        for index in range(EDITS):
            current = Cell.objects.get(pk=cell.pk).version
            started = time.perf_counter()
            with acting_as("command:bench"):
                cell_set(
                    actor=None,
                    offering=cell.offering,
                    domain=cell.domain,
                    ownership="shared",
                    expected_version=current,
                    duties={customer: [DutyInput(text=f"{label} edit number {index}.")]},
                )
            timings.append((time.perf_counter() - started) * 1000)
        return timings

    real = cells_module.audit_append
    run("warm-up")
    audited = run("audited")
    cells_module.audit_append = lambda **kwargs: None
    try:
        bare = run("bare")
    finally:
        cells_module.audit_append = real
    a, b = statistics.median(audited), statistics.median(bare)
    print(
        f"cell edit ({connection.vendor}, {EDITS} edits each): audited {a:.2f} ms, "
        f"without the audit write {b:.2f} ms, ratio {a / b:.2f}x (target <= 1.5x)"
    )


def log_bench() -> None:
    from django.contrib.auth import get_user_model

    from audit.models import AuditChainHead, AuditRecord
    from matrices.models import Provider

    call_command("migrate", verbosity=0)
    provider = Provider.objects.filter(slug="singlestore").first()
    if provider is None:
        from matrices.demo.loader import demo_load

        with acting_as("command:bench"):
            demo_load()
        provider = Provider.objects.get(slug="singlestore")
    existing = AuditRecord.objects.count()
    if existing < RECORDS:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # Synthetic rows: realistic shape and spread, not a valid chain
            # (verify_audit would rightly reject this scratch database).
            cursor.execute(
                """
                INSERT INTO audit_auditrecord (seq, created_at, actor_id, actor_label, request_id,
                    ip, action, object_type, object_id, object_label, provider_id, provider_label,
                    before, after, changed_fields, reason, prev_hash, hash)
                SELECT s, now() - make_interval(secs => (%(n)s - s) * 30), NULL,
                    'user' || (s %% 50), md5(s::text), '10.0.0.1',
                    (ARRAY['create','update','update','update','delete','grant'])[1 + s %% 6],
                    (ARRAY['cell','cell','cell','domain','offering','role'])[1 + s %% 6],
                    (s %% 5000)::text, 'Object ' || (s %% 5000),
                    CASE WHEN s %% 4 = 0 THEN %(other)s ELSE %(provider)s END, 'Provider',
                    '{"ownership": "shared"}'::jsonb, '{"ownership": "customer"}'::jsonb,
                    '["ownership"]'::jsonb, 'bench', md5((s - 1)::text) || md5('x'),
                    md5(s::text) || md5('y')
                FROM generate_series(%(start)s, %(n)s) AS s
                """,
                {
                    "n": RECORDS,
                    "start": existing + 1,
                    "provider": provider.pk,
                    "other": provider.pk + 1,
                },
            )
        last = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
        AuditChainHead.objects.update_or_create(id=1, defaults={"seq": last[0], "hash": last[1]})
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_auditrecord")
        print(
            f"generated {RECORDS - existing:,} audit records in "
            f"{time.perf_counter() - started:.1f} s"
        )
    superuser = get_user_model().objects.filter(username="bench-root").first() or (
        get_user_model().objects.create_superuser("bench-root", "b@example.com", "x-Bench-123")
    )
    client = Client()
    client.force_login(superuser)
    deep = RECORDS // 2
    cases = [
        ("site log, first page", "/audit/"),
        ("provider log, first page", "/providers/singlestore/audit/"),
        (f"provider log, page at #{deep}", f"/providers/singlestore/audit/?before={deep}"),
        ("filter: action=delete", "/providers/singlestore/audit/?action=delete"),
        ("filter: actor=user7", "/providers/singlestore/audit/?actor=user7"),
        (
            "filter: one object's history",
            "/providers/singlestore/audit/?object_type=cell&object_id=1234",
        ),
        (
            "filter: date range (one day)",
            "/providers/singlestore/audit/?date_from=2026-01-10&date_to=2026-01-10",
        ),
    ]
    print(
        f"audit log pages, {AuditRecord.objects.count():,} records on PostgreSQL "
        f"(median of 9 requests after a warm-up; target < 50 ms)"
    )
    for label, url in cases:
        client.get(url)
        timings = []
        for _ in range(9):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"  {label:<36} {statistics.median(timings):7.1f} ms  {len(queries)} queries")


if __name__ == "__main__":
    {"edit": edit_bench, "log": log_bench}[mode]()
