"""Reading PDFs back in tests: poppler's command-line tools, and snapshot helpers.

PDF text is read back with poppler-utils (pdftotext, pdfinfo, pdfdetach).
Without them the tests that need them are skipped, unless REQUIRE_E2E=1 (CI
sets it), where a missing tool is a failure instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zlib
from html import unescape
from typing import Any

import pytest

from matrices.pdf import DocumentMeta

HASH = "0123456789abcdef" * 4


def poppler(tool: str) -> str:
    """The path of a poppler-utils tool, or skip (fail under REQUIRE_E2E=1) without it."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing: install poppler-utils to run the PDF content tests"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(tool: str, *args: str, pdf: bytes) -> str:
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from the test
        [poppler(tool), *args, "-", "-"] if tool == "pdftotext" else [poppler(tool), *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def pdf_text(pdf: bytes, page: int | None = None, *, raw: bool = False) -> str:
    """The PDF's text (one page if given), whitespace collapsed to single spaces.

    ``raw`` keeps content-stream order, which is the only way pdftotext reads
    rotated text such as the diagonal watermark as a word.
    """
    args = ["-f", str(page), "-l", str(page)] if page else []
    return squash(_run("pdftotext", *args, *(["-raw"] if raw else []), pdf=pdf))


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _run("pdfinfo", pdf=pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def pdf_page_count(pdf: bytes) -> int:
    return int(pdf_info(pdf)["Pages"])


def pdf_objects(pdf: bytes) -> bytes:
    """The raw PDF plus every Flate stream inflated: object streams hide dictionaries."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def squash(text: str) -> str:
    return " ".join(text.split())


def plain(text_html: str) -> str:
    """A duty's HTML as the reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return squash(unescape(re.sub(r"<[^>]+>", " ", text_html)))


def duty_texts(snapshot: dict[str, Any], *, offering: str | None = None) -> set[str]:
    """The plain text of every duty item with text, optionally of one offering (by slug)."""
    ids = {o["id"] for o in snapshot["offerings"] if offering in (None, o["slug"])}
    return {
        plain(d["text_html"])
        for c in snapshot["cells"]
        if c["offering"] in ids
        for d in c["duties"]
        if plain(d["text_html"])
    }


def meta(**overrides: Any) -> DocumentMeta:
    fields: dict[str, Any] = {
        "version_label": "Version 3",
        "effective_date": "2026-11-22",
        "snapshot_hash": HASH,
        "approver": "Alex Approver",
        "authors": ("Jane Roe",),
        "change_summary": "Clarified network duties.",
        "history": (("Version 3", "2026-11-22", "Clarified network duties."),),
    }
    return DocumentMeta(**{**fields, **overrides})
