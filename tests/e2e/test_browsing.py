"""The pages as a person uses them, in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_home_shows_the_four_providers(page):
    page.goto(page.base + "/")
    titles = page.locator(".card__title").all_inner_texts()
    assert sorted(titles) == sorted(
        ["SingleStore", "ClickHouse Cloud", "Astronomer Astro", "Vendor-neutral template"]
    )
    screenshot(page, "home")


def test_search_updates_results_as_you_type_without_reloading(page):
    page.goto(page.base + "/search/")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#id_q", "private link")
    page.locator("#search-results mark").first.wait_for()
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped, no reload
    assert "q=private" in page.url
    assert page.locator("#search-results mark").first.inner_text().lower() == "private link"
    screenshot(page, "search")


def test_matrix_anchor_scrolls_to_and_highlights_the_domain(page):
    page.goto(page.base + "/providers/singlestore/#d-encryption-for-data-at-rest")
    row = page.locator("#d-encryption-for-data-at-rest")
    assert row.is_visible()
    screenshot(page, "matrix")


def test_compare_toggle_hides_identical_rows_in_place(page):
    page.goto(page.base + "/providers/singlestore/compare/?o=helios&o=helios-byoc")
    all_rows = page.locator("[data-compare-table] tbody tr")
    differing = page.locator("[data-compare-table] tbody tr.row--differs")
    total, diff = all_rows.count(), differing.count()
    assert 0 < diff < total
    page.check("[data-only-diff]")
    visible = [row for row in all_rows.all() if row.is_visible()]
    assert len(visible) == diff
    assert "only_diff=on" in page.url
    screenshot(page, "compare")
    page.uncheck("[data-only-diff]")
    assert len([row for row in all_rows.all() if row.is_visible()]) == total


def test_offering_and_checklist_pages_render(page):
    page.goto(page.base + "/providers/singlestore/offerings/helios-byoc/")
    assert page.locator("h1").inner_text() == "What do I have to do on SingleStore Helios BYOC?"
    screenshot(page, "offering")
    page.click("text=Customer checklist")
    assert page.locator(".checklist__items input[type=checkbox]").count() > 10
    screenshot(page, "checklist")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()


def test_matrix_is_readable_on_a_phone_without_sideways_scrolling(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/providers/singlestore/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    label = page.evaluate(
        "getComputedStyle(document.querySelector('td.duty-cell'), '::before').content"
    )
    assert "SingleStore Self-managed" in label
    screenshot(page, "matrix-phone")
    context.close()


def test_keyboard_users_can_skip_to_the_content(page):
    page.goto(page.base + "/providers/singlestore/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
