"""An editor imports a file: the dry run, the job page while it runs, and how it ended."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from matrices.exchange.files import read_csv, write_csv
from matrices.models import ImportJob, Provider
from matrices.progress import progress_reporter
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

IMPORT = "/providers/singlestore/import/"
CHANGED = ("Access control", "SingleStore Helios BYOC", "Customer")
REWORDED = "Grant roles through the identity provider and review them every quarter."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def both_sizes(page, name: str) -> None:
    """A desktop and a phone screenshot of the page as it stands; on the phone nothing
    may stick out sideways."""
    page.set_viewport_size(DESKTOP)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def draft_with_one_duty_reworded(page, tmp_path):
    """The draft, exported through its link on the import page, with one duty reworded."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Export the draft to start from").click()
    rows = [row for _, row in read_csv(download.value.path().read_bytes(), filename="x.csv")]
    (row,) = [r for r in rows if (r["domain"], r["offering"], r["party"]) == CHANGED]
    row["duty"] = REWORDED
    path = tmp_path / "singlestore-reworded.csv"
    path.write_bytes(write_csv(rows))
    return path


def job(status: str, **fields) -> ImportJob:
    """An import of SingleStore asked by the demo editor, in ``status``."""
    return ImportJob.objects.create(
        provider=Provider.objects.get(slug="singlestore"),
        requested_by=get_user_model().objects.get(username="demo-editor"),
        filename="singlestore-reworded.csv",
        file="imports/singlestore/singlestore-reworded.csv",
        expected_hash="0" * 64,
        reason="quarterly review",
        status=status,
        **fields,
    )


def job_url(pk: int) -> str:
    return f"/providers/singlestore/import/{pk}/"


def test_an_editor_imports_a_changed_file_and_sees_what_it_changed(page, tmp_path):
    sign_in(page, "demo-editor", IMPORT)
    changed = draft_with_one_duty_reworded(page, tmp_path)
    page.set_input_files("#import-file", changed)
    page.get_by_role("button", name="Check the file").click()

    plan = page.locator("section[aria-labelledby=plan-title]")
    assert "0 rows added, 1 changed, 0 removed." in plan.inner_text()
    changed_row = plan.locator("table tbody tr")
    assert changed_row.count() == 1
    assert changed_row.locator("th").inner_text() == " · ".join(CHANGED)
    assert REWORDED in changed_row.locator("td").nth(1).inner_text()
    assert REWORDED not in changed_row.locator("td").nth(0).inner_text()
    page.fill("#apply-reason", "quarterly review")
    page.locator("#apply-reason").blur()
    both_sizes(page, "import-dry-run")
    page.set_viewport_size(PHONE)  # the stacked cells still say which is which
    labels = changed_row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels == ['"Now"', '"After the import"']
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Apply to the draft").click()
    page.wait_for_url("**/providers/singlestore/import/*/")
    status = page.locator("#import-status > div")
    # At once with eager tasks; with a worker (CI's PostgreSQL run) the page follows it there.
    expect(status).to_contain_text("Imported singlestore-reworded.csv.", timeout=60_000)
    assert "0 rows added, 1 changed, 0 removed." in status.inner_text()
    assert "quarterly review" in page.locator(".page-header").inner_text()
    assert status.get_attribute("hx-get") is None  # finished: it does not poll
    both_sizes(page, "import-job-done")

    page.get_by_role("link", name="See the draft").click()
    page.wait_for_url("**/providers/singlestore/")
    assert REWORDED in page.locator("#d-access-control").inner_text()


def test_the_page_of_a_running_import_shows_its_progress_and_updates_itself(page):
    running = job(ImportJob.Status.RUNNING, started_at=timezone.now())
    report = progress_reporter(running.pk)
    report(0.5, "Cells validated")
    sign_in(page, "demo-editor", job_url(running.pk))
    page.evaluate("window.__marker = 'same page'")
    status = page.locator("#import-status > div")
    assert status.get_attribute("hx-get") == job_url(running.pk)
    assert page.locator("#import-status progress").get_attribute("value") == "50"
    assert "Cells validated." in status.inner_text()
    assert page.locator(".import-progress__value").inner_text() == "50%"
    both_sizes(page, "import-job-running")

    report(0.7, "Cells written")
    expect(page.locator("#import-status progress")).to_have_attribute("value", "70")
    assert "Cells written." in status.inner_text()

    ImportJob.objects.filter(pk=running.pk).update(
        status=ImportJob.Status.DONE,
        finished_at=timezone.now(),
        summary={"added": 0, "changed": 1, "removed": 0, "axes_added": [], "axes_removed": []},
    )
    page.get_by_text("Imported singlestore-reworded.csv.").wait_for()
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload
    assert status.get_attribute("hx-get") is None
    assert page.locator("#import-status progress").count() == 0
    # Once finished it asks no more.
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url))
    page.wait_for_timeout(2_500)
    assert [url for url in polls if job_url(running.pk) in url] == []


def test_a_failed_import_says_why_and_that_nothing_was_written(page):
    failed = job(
        ImportJob.Status.FAILED,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        error="The draft changed since the dry run: run it again and check the differences "
        "before applying.",
    )
    sign_in(page, "demo-editor", job_url(failed.pk))
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("Not imported. Nothing was written. The draft changed")
    assert page.locator("#import-status > div").get_attribute("hx-get") is None
    assert page.locator("#import-status progress").count() == 0
    page.get_by_role("link", name="Import a file again").wait_for()
    both_sizes(page, "import-job-failed")


def test_an_import_whose_worker_went_silent_says_so_and_keeps_asking(page, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_STALL_SECONDS + 60)
    stalled = job(ImportJob.Status.RUNNING, started_at=long_ago)
    with mock.patch("matrices.progress.timezone.now", return_value=long_ago):
        progress_reporter(stalled.pk)(0.7, "Cells written")
    sign_in(page, "demo-editor", job_url(stalled.pk))
    alert = page.get_by_role("alert")
    assert alert.inner_text().startswith("No word from the worker importing")
    assert "Nothing is written until an import finishes" in alert.inner_text()
    # Not final: the worker may come back (the task is given out again), so it still asks,
    # less often.
    now = page.locator("#import-status > div")
    assert now.get_attribute("hx-get") == job_url(stalled.pk)
    assert now.get_attribute("hx-trigger") == "load delay:10s"
    page.get_by_role("link", name="Import a file again").wait_for()
    both_sizes(page, "import-job-stalled")
