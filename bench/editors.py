"""`make bench`, concurrent editors: 8 API clients editing four cells at once, for 30 s.

A gunicorn server (WEB_CONCURRENCY workers, 4 by default, as the Dockerfile runs)
on a scratch PostgreSQL database with the demo data; eight threads, each with
its own editor's API token, read one of four SingleStore cells and write it
back with a new text and the version they read (a 409 when someone saved
first: they read it again and retry). Afterwards: writes per second (target:
30), conflicts, and the proof that no update was lost: every 200 answered is
in the audit log as one update of that cell from the version it read, the
versions of each cell run without a gap, each cell holds its last write, and
the audit chain verifies.

Needs PostgreSQL (BENCH_PG_URL's server; skipped when none answers).
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.setup import gunicorn, pg_available, start

if not pg_available():
    print("concurrent editors benchmark skipped: no PostgreSQL (set BENCH_PG_URL)")
    sys.exit(0)
DATABASE = start(postgres="srm_bench_editors")

import json  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402

from accounts.models import TokenScope  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import role_set  # noqa: E402
from accounts.tokens import token_create  # noqa: E402
from audit.context import acting_as  # noqa: E402
from audit.models import AuditRecord  # noqa: E402
from audit.verify import verify_chain  # noqa: E402
from matrices.demo.loader import demo_load  # noqa: E402
from matrices.models import Cell, Provider  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_EDITORS", "8"))
SECONDS = int(os.environ.get("BENCH_EDITORS_SECONDS", "30"))
PORT = int(os.environ.get("BENCH_PORT", "8771"))
CELLS = [("helios", "compliance"), ("helios", "access-control"), ("helios-byoc", "compliance")]
CELLS.append(("self-managed", "customer-data"))


def request(method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def editor(index: int, token: str, deadline: float, results: list, party: int) -> None:
    rng = random.Random(index)
    written = 0
    while time.monotonic() < deadline:
        offering, domain = rng.choice(CELLS)
        path = f"/api/v1/providers/singlestore/cells/{offering}/{domain}/"
        status, cell = request("GET", path, token)
        if status != 200:
            results.append((status, offering, domain, None, cell, None))
            continue
        text = f"Editor {index}, write {written}."
        status, body = request(
            "PUT",
            path,
            token,
            {
                "ownership": cell["ownership"],
                "duties": [{"party": party, "text": text}],
                "version": cell["version"],
                "reason": "bench",
            },
        )
        results.append((status, offering, domain, cell["version"], text, body.get("version")))
        written += status == 200


def main() -> None:
    with acting_as("command:bench"):
        demo_load()
    singlestore = Provider.objects.get(slug="singlestore")
    party = singlestore.parties.get(role="customer").pk
    tokens = []
    for index in range(CLIENTS):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-editor-{index}")
        role_set(actor=None, provider=singlestore, principal=user, role=Role.EDITOR)
        tokens.append(token_create(user=user, name="bench", scope=TokenScope.READ_WRITE)[1])
    workers = os.environ.get("WEB_CONCURRENCY", "4")
    with gunicorn(PORT, DATABASE_URL=DATABASE):
        start_seq = AuditRecord.objects.order_by("-seq").values_list("seq", flat=True).first()
        results: list = []
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=editor, args=(i, tokens[i], deadline, results, party))
            for i in range(CLIENTS)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    statuses = Counter(status for status, *_ in results)
    writes = [r for r in results if r[0] == 200]
    records = {
        (r.object_label, r.before and r.before["duties"][0]["text"], r.after["duties"][0]["text"])
        for r in AuditRecord.objects.filter(seq__gt=start_seq, object_type="cell")
    }
    lost = []
    for _status, offering, domain, read_version, text, new_version in writes:
        if new_version != read_version + 1:
            lost.append(("version", offering, domain, read_version, new_version))
        if not any(after == text for _label, _before, after in records):
            lost.append(("no audit record", offering, domain, text))
    for offering, domain in CELLS:
        cell = Cell.objects.get(provider=singlestore, offering__slug=offering, domain__slug=domain)
        mine = sorted(w for w in writes if (w[1], w[2]) == (offering, domain))
        versions = [w[5] for w in sorted(mine, key=lambda w: w[5])]
        if versions and versions != list(range(versions[0], versions[0] + len(versions))):
            lost.append(("gap in versions", offering, domain))
        if mine:
            last = max(mine, key=lambda w: w[5])
            if cell.duties.get().text != last[4] or cell.version != last[5]:
                lost.append(("not the last write", offering, domain))
    chain = verify_chain()
    print(
        f"{CLIENTS} API editors, {len(CELLS)} cells, {elapsed:.0f} s, gunicorn {workers} workers:"
    )
    print(f"  writes: {len(writes)} = {len(writes) / elapsed:.1f}/s (target >= 30)")
    print(f"  conflicts (409, read again and retried): {statuses[409]}")
    others = {s: n for s, n in statuses.items() if s not in (200, 409)}
    print(f"  other answers: {others} {[r[4] for r in results if r[0] not in (200, 409)][:2]}")
    print(f"  lost updates: {len(lost)} {lost[:3]}")
    print(f"  audit chain: {'verified' if chain.ok else chain}")


if __name__ == "__main__":
    main()
