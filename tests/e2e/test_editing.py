"""An editor signs in, edits a cell in place, and finds the change in the audit log."""

from __future__ import annotations

import pytest

from matrices.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

EDIT_LINK = "a[aria-label='Edit Access control on SingleStore Helios BYOC']"


def sign_in(page, username: str, next_url: str) -> None:
    page.goto(f"{page.base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def test_an_editor_edits_a_cell_in_place_and_sees_it_in_the_audit_log(page):
    sign_in(page, "demo-editor", "/providers/singlestore/")
    page.evaluate("window.__marker = 'same page'")
    # Keyboard only: focus the Edit link and press Enter.
    page.focus(EDIT_LINK)
    page.keyboard.press("Enter")
    editor = page.locator("tr.edit-row")
    editor.wait_for()
    assert page.evaluate("document.activeElement.name") == "cell-ownership"
    first = editor.locator("textarea").first
    first.fill("Define the platform's **access control scheme**, roles and privileges.")
    editor.locator(".preview strong").wait_for()  # the live Markdown preview
    editor.locator("input[name='cell-reason']").fill("reworded in review")
    screenshot(page, "edit-in-place")
    editor.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    editor.wait_for(state="detached")
    row = page.locator("#d-access-control")
    assert "access control scheme" in row.inner_text()
    assert page.evaluate("window.__marker") == "same page"  # no reload
    page.wait_for_function(
        "document.activeElement && document.activeElement.getAttribute('aria-label')"
        " === 'Edit Access control on SingleStore Helios BYOC'"
    )

    page.goto(page.base + "/providers/singlestore/audit/")
    newest = page.locator("tbody tr").first
    text = newest.inner_text()
    assert "demo-editor" in text
    assert "Access control / SingleStore Helios BYOC" in text
    assert "reworded in review" in text
    screenshot(page, "audit-log")


def test_escape_cancels_the_edit_without_saving(page):
    sign_in(page, "demo-editor", "/providers/singlestore/")
    before = page.locator("#d-access-control").inner_text()
    page.click(EDIT_LINK)
    page.locator("tr.edit-row textarea").first.fill("Something I will not keep.")
    page.keyboard.press("Escape")
    page.locator("tr.edit-row").wait_for(state="detached")
    assert page.locator("#d-access-control").inner_text() == before


def test_a_viewer_sees_no_edit_links(page):
    sign_in(page, "demo-viewer", "/providers/singlestore/")
    assert page.locator(EDIT_LINK).count() == 0
