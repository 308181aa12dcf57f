"""PDF rendering time of a CCM-size matrix, against the same text as one plain table.

Run as ``.venv/bin/python bench/pdf.py``. Builds a synthetic snapshot in pure
Python (no database): 200 domains x 3 offerings x 3 parties, one ~40-word
duty per party cell (1,800 duties). It renders our document
(``matrices.pdf.render_pdf``) and the same duty texts as ONE plain HTML table
(200 rows, a cell per offering x party) with the same font and page size, and
prints both times and their ratio (BENCH_RUNS=n: the best of n runs each;
BENCH_DOMAINS=n: another size). Target: our document in at most half the
plain table's time, which is why its domain sections are blocks, not a table.
"""

from __future__ import annotations

import logging
import os
import random
import sys
import time
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["DEBUG"] = "0"

import django

django.setup()

from weasyprint import CSS, HTML  # noqa: E402

from matrices.pdf import DocumentMeta, render_pdf  # noqa: E402
from matrices.pdf.fetcher import StaticAssetFetcher  # noqa: E402
from matrices.snapshot import snapshot_hash  # noqa: E402

DOMAINS = int(os.environ.get("BENCH_DOMAINS", "200"))
RUNS = int(os.environ.get("BENCH_RUNS", "1"))  # the plain table alone takes ~30-50 s a run
OFFERINGS, PARTIES, WORDS_PER_DUTY = 3, 3, 40
WORDS = [
    *("configure", "monitor", "encrypt", "rotate", "review", "restrict", "provision"),
    *("patch", "audit", "isolate", "authenticate", "log", "alert", "retain", "harden"),
    *("keys", "policies", "networks", "clusters", "secrets", "backups", "certificates"),
    *("identities", "tokens", "regions", "workloads", "buckets", "dashboards", "endpoints"),
]
OWNERSHIPS = ["provider", "customer", "shared", "third-party", "shared-third-party", "n/a"]
ROLES = ["customer", "provider", "cloud-provider"]

PLAIN_CSS = """
@page { size: A4; margin: 20mm 17mm 18mm; }
html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 9pt; hyphens: manual; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #cbd5e1; padding: 1mm; vertical-align: top; text-align: left; }
p { margin: 0; }
"""


def synthetic_snapshot(domains: int = DOMAINS, seed: int = 7) -> dict[str, Any]:
    """A snapshot-shaped dict (see matrices.snapshot) of the given size."""
    rng = random.Random(seed)

    def sentence() -> str:
        text = " ".join(rng.choice(WORDS) for _ in range(WORDS_PER_DUTY))
        return text[0].upper() + text[1:] + "."

    cells = []
    for d in range(1, domains + 1):
        for o in range(1, OFFERINGS + 1):
            duties = []
            for p in range(1, PARTIES + 1):
                text = sentence()
                duties.append(
                    {
                        "party": p,
                        "text": text,
                        "text_html": f"<p>{text}</p>",
                        "advanced": rng.random() < 0.1,
                        "not_applicable": False,
                        "scope": "",
                    }
                )
            cells.append(
                {"offering": o, "domain": d, "ownership": rng.choice(OWNERSHIPS), "duties": duties}
            )
    return {
        "schema": 1,
        "provider": {
            "id": 1,
            "name": "Synthetic",
            "slug": "synthetic",
            "website": "https://example.com",
            "summary": "Synthetic data.",
            "is_template": False,
        },
        "sources": [{"title": "Synthetic model", "url": "https://example.com/ssrm"}],
        "offerings": [
            {
                "id": o,
                "name": f"Offering {o}",
                "slug": f"offering-{o}",
                "kind": "managed",
                "service_model": "",
                "description": "",
            }
            for o in range(1, OFFERINGS + 1)
        ],
        "parties": [
            {"id": p, "name": f"Party {p}", "role": ROLES[(p - 1) % len(ROLES)]}
            for p in range(1, PARTIES + 1)
        ],
        "domains": [
            {
                "id": d,
                "name": f"Domain {d}",
                "slug": f"domain-{d}",
                "description": "A synthetic control domain.",
                "category": "GRC",
            }
            for d in range(1, domains + 1)
        ],
        "cells": cells,
    }


def plain_table_pdf(snapshot: dict[str, Any]) -> bytes:
    """The same duty texts as one HTML table: a row per domain, a cell per offering x party."""
    by_domain: dict[int, list[str]] = {}
    for cell in snapshot["cells"]:
        by_domain.setdefault(cell["domain"], []).extend(d["text_html"] for d in cell["duties"])
    head = "".join(
        f"<th>{escape(o['name'])} / {escape(p['name'])}</th>"
        for o in snapshot["offerings"]
        for p in snapshot["parties"]
    )
    rows = "".join(
        f"<tr><th>{escape(d['name'])}</th>"
        + "".join(f"<td>{html}</td>" for html in by_domain[d["id"]])
        + "</tr>"
        for d in snapshot["domains"]
    )
    html = f"<table><thead><tr><th>Domain</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
    fetcher = StaticAssetFetcher()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=PLAIN_CSS, url_fetcher=fetcher)]
    )


def timed(label: str, render: Callable[[], bytes]) -> float:
    """The fastest of RUNS renders, in CPU seconds of this process (both renders are
    single-threaded, so CPU time is their cost, and less disturbed than the wall clock by
    other load on a shared machine); the wall time is printed beside it."""
    cpu, wall = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    print(
        f"{label:<34} {min(cpu):>8.2f} s CPU {min(wall):>8.2f} s wall {len(pdf) / 1024:>8.0f} KiB"
    )
    return min(cpu)


def main() -> None:
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # no per-page progress lines
    snapshot = synthetic_snapshot()
    meta = DocumentMeta(
        version_label="Version 1",
        effective_date="2026-11-22",
        snapshot_hash=snapshot_hash(snapshot),
        watermark="DRAFT",
    )
    duties = sum(len(c["duties"]) for c in snapshot["cells"])
    print(
        f"{DOMAINS} domains x {OFFERINGS} offerings x {PARTIES} parties, {duties} duties; "
        f"best of {RUNS} run(s)"
    )
    ours = timed("our document (matrix variant)", lambda: render_pdf(snapshot, meta))
    plain = timed("one plain table (same duty texts)", lambda: plain_table_pdf(snapshot))
    ratio = ours / plain
    verdict = "meets" if ratio <= 0.5 else "MISSES"
    print(f"ratio ours/plain (CPU): {ratio:.2f} ({verdict} the 0.50 target)")


if __name__ == "__main__":
    main()
