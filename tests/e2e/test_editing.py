"""An editor signs in, edits a cell in place, and finds the change in the audit log."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

EDIT_LINK = "a[aria-label='Edit Access control on SingleStore Helios BYOC']"


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
    editor.get_by_role("button", name="Save", exact=True).focus()
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


def customer_items(editor):
    return editor.locator("fieldset[data-party-items]").filter(
        has=editor.page.locator("legend", has_text="Customer")
    )


def focused_label(page) -> str:
    return page.evaluate("document.activeElement.labels[0].textContent.trim()")


def test_an_editor_adds_two_items_in_one_save(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "demo-editor", "/providers/singlestore/")
    page.click(EDIT_LINK)
    editor = page.locator("tr.edit-row")
    editor.wait_for()
    customer = customer_items(editor)
    slots = customer.locator("[data-item-list] textarea")
    before = slots.count()  # the saved items and one empty slot
    add = customer.get_by_role("button", name="Add another item")

    add.click()
    assert slots.count() == before + 1
    assert focused_label(page) == f"Item {before + 1}"  # focus on the new, labelled text
    page.keyboard.type("Review the **first** added item.")
    customer.locator(".duty-item").nth(before).locator(".preview strong").wait_for()
    add.click()
    assert focused_label(page) == f"Item {before + 2}"
    page.keyboard.type("Then the second added item.")
    total = customer.locator("input[name$='-TOTAL_FORMS']").input_value()
    assert total == str(before + 2)
    screenshot(page, "edit-added-items")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "edit-added-items-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Enter in a field saves (it does not "add another item").
    editor.locator("input[name='cell-reason']").fill("two more items")
    editor.locator("input[name='cell-reason']").press("Enter")
    editor.wait_for(state="detached")
    text = page.locator("#d-access-control").inner_text()
    assert "Review the first added item." in text
    assert "Then the second added item." in text
    assert text.index("Review the first added item.") < text.index("Then the second added item.")


def test_escape_still_cancels_after_adding_an_item(page):
    sign_in(page, "demo-editor", "/providers/singlestore/")
    before = page.locator("#d-access-control").inner_text()
    page.click(EDIT_LINK)
    editor = page.locator("tr.edit-row")
    customer_items(editor).get_by_role("button", name="Add another item").click()
    page.keyboard.type("Not kept.")
    page.keyboard.press("Escape")
    editor.wait_for(state="detached")
    assert page.locator("#d-access-control").inner_text() == before


@pytest.fixture
def page_without_js(browser, live_server, demo):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    yield page
    context.close()


def test_without_javascript_add_another_item_comes_back_with_a_new_slot(page_without_js):
    page = page_without_js
    edit = "/providers/singlestore/cells/helios-byoc/access-control/edit/"
    sign_in(page, "demo-editor", edit)
    customer = customer_items(page.locator("form.cell-form"))
    slots = customer.locator("[data-item-list] textarea")
    before = slots.count()
    slots.last.fill("Typed before adding.")
    customer.get_by_role("button", name="Add another item").click()
    page.wait_for_load_state()
    assert slots.count() == before + 1
    assert slots.nth(before - 1).input_value() == "Typed before adding."
    assert focused_label(page) == f"Item {before + 1}"  # autofocus on the new slot
    page.keyboard.type("Typed after adding.")
    screenshot(page, "edit-added-items-no-js")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/providers/singlestore/#d-access-control")
    text = page.locator("#d-access-control").inner_text()
    assert "Typed before adding." in text
    assert "Typed after adding." in text
