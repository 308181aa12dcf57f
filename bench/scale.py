"""`make bench`, real-size matrices: imports and draft reads, each beside its comparison.

1. Importing a long-format file into an empty provider, through the API (Django's
   test client: the whole request handling, without a socket; tasks run in the
   request): the dry run, then applying it. Files of 1,800 rows (200 domains x 3
   offerings x 3 parties, 1 to 3 items a duty) and 9,990 rows (555 x 6 x 3). Beside
   it, the floor: the same rows written with bare ``bulk_create`` (rendering each
   duty's HTML, no validation, no audit). Targets: 3 s and 15 s, and 3x the floor.
   Then the same files over HTTP, to gunicorn as the image runs it (gunicorn.conf.py),
   with an API token: what a client waits for, socket and multipart parsing included.
2. A 10% change of the 1,800-row matrix (every tenth duty reworded), dry run and
   apply. Target: 1 s.
3. The draft matrix page and the draft API read of a 600-cell matrix (the
   1,800-row one), as its editor: median of BENCH_RUNS. Target: 300 ms. The page
   is measured twice: every row rendered (its row cache emptied before each
   request), and as an editor sees it again (rows cached by their content).

On PostgreSQL (a scratch database ``srm_bench_scale`` on BENCH_PG_URL's server)
when one answers, else SQLite. Queries are counted on the same runs.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.setup import gunicorn, pg_available, start

DATABASE = start(postgres="srm_bench_scale" if pg_available() else None)

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import TokenScope  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import role_set  # noqa: E402
from accounts.tokens import token_create  # noqa: E402
from audit.context import acting_as  # noqa: E402
from audit.models import AuditRecord  # noqa: E402
from matrices.exchange.files import read_matrix, write_csv  # noqa: E402
from matrices.models import Cell, ControlDomain, Duty, Offering, Party, Provider  # noqa: E402
from matrices.richtext import render_markdown  # noqa: E402
from matrices.services import provider_create  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
WORDS = [
    "configure",
    "monitor",
    "encrypt",
    "rotate",
    "review",
    "restrict",
    "patch",
    "audit",
    "isolate",
    "log",
    "keys",
]
KINDS = ["self-managed", "managed", "byoc"]
ROLES = ["customer", "provider", "cloud-provider"]


def rows(domains: int, offerings: int, parties: int, seed: int = 7) -> list[dict]:
    """A long-format matrix: every (domain, offering, party), 1 to 3 items a duty."""
    rng = random.Random(seed)
    out = []
    for d in range(domains):
        for o in range(offerings):
            ownership = rng.choice(["provider", "customer", "shared"])
            for p in range(parties):
                items = [
                    " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "."
                    for _ in range(rng.randint(1, 3))
                ]
                out.append(
                    {
                        "domain": f"Domain {d + 1:03d}",
                        "offering": f"Offering {o + 1}",
                        "offering_kind": KINDS[o % 3],
                        "party": f"Party {p + 1}",
                        "party_role": ROLES[p % 3],
                        "ownership": ownership,
                        "duty": "\n".join(f"- {item}" for item in items),
                    }
                )
    return out


def editor_on(provider: Provider):
    user, _ = get_user_model().objects.get_or_create(username="bench-editor")
    role_set(actor=None, provider=provider, principal=user, role=Role.EDITOR)
    return user


def new_provider(slug: str) -> Provider:
    with acting_as("command:bench"):
        return provider_create(name=slug.replace("-", " ").title(), slug=slug)


def floor(slug: str, data: bytes) -> tuple[float, int]:
    """The same rows written with bare bulk_create: (seconds, queries)."""
    parsed = read_matrix("m.csv", data)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            provider = Provider.objects.create(name=slug, slug=slug)
            offerings = Offering.objects.bulk_create(
                Offering(provider=provider, name=o.name, slug=f"o{i}", kind=o.kind, position=i)
                for i, o in enumerate(parsed.offerings)
            )
            parties = Party.objects.bulk_create(
                Party(provider=provider, name=p.name, role=p.role, position=i)
                for i, p in enumerate(parsed.parties)
            )
            domains = ControlDomain.objects.bulk_create(
                ControlDomain(provider=provider, name=name, slug=f"d{i}", position=i)
                for i, name in enumerate(parsed.domains)
            )
            by_name = {
                **{o.name: o for o in offerings},
                **{d.name: d for d in domains},
                **{p.name: p for p in parties},
            }
            keys = list(parsed.cells)
            cells = Cell.objects.bulk_create(
                Cell(
                    provider=provider,
                    domain=by_name[d],
                    offering=by_name[o],
                    ownership=parsed.cells[d, o].ownership,
                )
                for d, o in keys
            )
            Duty.objects.bulk_create(
                (
                    Duty(
                        cell=cell,
                        party=by_name[party],
                        text=item.text,
                        # not the import's memo of rendered texts: the floor renders each
                        text_html=render_markdown.__wrapped__(item.text),
                        position=position,
                    )
                    for cell, key in zip(cells, keys, strict=True)
                    for party, items in parsed.cells[key].duties.items()
                    for position, item in enumerate(items)
                ),
                batch_size=1000,
            )
        elapsed = time.perf_counter() - started
    return elapsed, len(queries)


def api_import(client: Client, slug: str, data: bytes) -> tuple[float, float, int]:
    """Dry run then apply through the API: (dry-run seconds, apply seconds, queries)."""
    url = f"/api/v1/providers/{slug}/import/"
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        plan = client.post(url, {"file": SimpleUploadedFile("m.csv", data)})
        dry = time.perf_counter() - started
        assert plan.status_code == 200, plan.content[:500]
        started = time.perf_counter()
        applied = client.post(
            url,
            {
                "file": SimpleUploadedFile("m.csv", data),
                "apply": "true",
                "expected_hash": plan.json()["base_hash"],
                "reason": "bench",
            },
        )
        apply = time.perf_counter() - started
    assert applied.status_code == 202, applied.content[:500]
    assert applied.json()["state"] == "done", applied.json()
    return dry, apply, len(queries)


def http_import(base: str, token: str, slug: str, data: bytes) -> tuple[float, float]:
    """Dry run then apply over HTTP with an API token: (dry-run seconds, apply seconds)."""
    url, auth = f"{base}/api/v1/providers/{slug}/import/", {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    plan = requests.post(url, files={"file": ("m.csv", data)}, headers=auth, timeout=120)
    dry = time.perf_counter() - started
    assert plan.status_code == 200, plan.text[:500]
    started = time.perf_counter()
    applied = requests.post(
        url,
        files={"file": ("m.csv", data)},
        data={"apply": "true", "expected_hash": plan.json()["base_hash"], "reason": "bench"},
        headers=auth,
        timeout=120,
    )
    apply = time.perf_counter() - started
    assert applied.status_code == 202, applied.text[:500]
    assert applied.json()["state"] == "done", applied.json()
    return dry, apply


def reworded(data: list[dict]) -> list[dict]:
    changed = [dict(row) for row in data]
    for row in changed[::10]:
        row["duty"] = "- Reworded for the benchmark: " + row["duty"].lstrip("- ")
    return changed


def median_ms(client: Client, url: str, *, clear_rows: bool) -> tuple[float, int]:
    client.get(url)
    timings = []
    for _ in range(RUNS):
        if clear_rows:
            caches["default"].clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def main() -> None:
    database = DATABASE.split(":")[0]
    print(f"Real-size matrices on {database}; times in one run, each beside its comparison.")
    client = Client()
    warm = new_provider("warm-up")  # the first request of a process loads what it needs
    client.force_login(editor_on(warm))
    api_import(client, "warm-up", write_csv(rows(5, 2, 2, seed=1)))
    print("\n1. Import into an empty provider, through the API (dry run + apply):")
    for label, shape in (("1,800 rows", (200, 3, 3)), ("9,990 rows", (555, 6, 3))):
        data = write_csv(rows(*shape))
        slug = f"import-{shape[0]}"
        provider = new_provider(slug)
        client.force_login(editor_on(provider))
        records = AuditRecord.objects.count()
        dry, apply, queries = api_import(client, slug, data)
        written = AuditRecord.objects.count() - records
        bare, bare_queries = floor(f"floor-{shape[0]}", data)
        total = dry + apply
        print(
            f"   {label} ({len(data) // 1024} KiB): {total:5.2f} s (dry run {dry:.2f} s, apply "
            f"{apply:.2f} s), {queries} queries, {written} audit records"
        )
        print(
            f"      floor, bare bulk_create: {bare:5.2f} s, {bare_queries} queries  ->  "
            f"import = {total / bare:.1f}x the floor"
        )
    print("   over HTTP, gunicorn as the image runs it, an API token (dry run + apply):")
    with gunicorn(int(os.environ.get("BENCH_PORT", "8772")), DATABASE_URL=DATABASE) as base:
        token = token_create(
            user=editor_on(new_provider("http-warm-up")), name="bench", scope=TokenScope.READ_WRITE
        )[1]
        http_import(base, token, "http-warm-up", write_csv(rows(5, 2, 2, seed=1)))
        for label, shape in (("1,800 rows", (200, 3, 3)), ("9,990 rows", (555, 6, 3))):
            slug = f"http-{shape[0]}"
            editor_on(new_provider(slug))
            dry, apply = http_import(base, token, slug, write_csv(rows(*shape)))
            print(f"   {label}: {dry + apply:5.2f} s (dry run {dry:.2f} s, apply {apply:.2f} s)")
    print("\n2. A 10% change of the 1,800-row matrix (every tenth duty reworded):")
    data = write_csv(reworded(rows(200, 3, 3)))
    provider = Provider.objects.get(slug="import-200")
    client.force_login(editor_on(provider))
    dry, apply, queries = api_import(client, "import-200", data)
    print(f"   {dry + apply:5.2f} s (dry run {dry:.2f} s, apply {apply:.2f} s), {queries} queries")
    print("\n3. Draft reads of the 600-cell matrix (200 x 3 x 3, 1 to 3 items a duty):")
    page = "/providers/import-200/?view=draft"
    for label, url, clear in (
        ("draft page, every row rendered", page, True),
        ("draft page, rows cached", page, False),
        ("draft API read", "/api/v1/providers/import-200/matrix/?version=draft", False),
    ):
        ms, queries = median_ms(client, url, clear_rows=clear)
        print(f"   {label:32} {ms:7.1f} ms median of {RUNS}, {queries} queries")


if __name__ == "__main__":
    main()
