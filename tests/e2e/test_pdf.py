"""Downloading a trust-center PDF from the browser: "Generating…", then the download."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_a_visitor_gets_the_pdf_without_a_page_reload(page):
    page.goto(page.base + "/providers/singlestore/offerings/helios-byoc/")
    page.evaluate("window.__marker = 'same page'")
    page.click(".pdf-links >> text=Customer checklist")
    link = page.locator(".pdf-target a", has_text="Download")
    link.wait_for(timeout=60_000)
    assert page.evaluate("window.__marker") == "same page"
    screenshot(page, "pdf-ready")
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download.value.suggested_filename.endswith("-v1.pdf")
