"""Template source checks that a rendered page would only show too late."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_short_comment_closes_on_its_line():
    """``{# ... #}`` is one line in Django: one that runs on is printed on the page."""
    runaway = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert not runaway, f"use {{% comment %}} for comments over several lines: {runaway}"
