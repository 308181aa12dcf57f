"""Headless Chromium (Debian's package) driven by Playwright against a live server.

Skipped when no Chromium is installed, unless REQUIRE_E2E=1 (CI sets it),
where a missing browser is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from audit.context import acting_as
from matrices.demo.accounts import DEMO_PASSWORD, demo_accounts_create, demo_approver
from matrices.demo.loader import demo_load, demo_publish

# Playwright's sync API runs an event loop in this thread; the ORM calls made
# by fixtures are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        message = "Chromium is not installed (sudo apt-get install chromium)"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    # Live-server tests run in transactional mode, which empties the tables
    # after each test, so each one loads the demo data (and accounts) itself.
    with acting_as("command:loaddemo"):
        demo_load()
        demo_accounts_create()
        demo_publish(approver=demo_approver())


@pytest.fixture
def page(browser, live_server, demo):
    """A browser tab on the live server; the test fails if the page logs an error."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"browser errors (CSP violations, 404s, script errors): {errors}"


def screenshot(page, name: str) -> None:
    """Save a full-page PNG when SCREENSHOT_DIR is set (``make screenshots``)."""
    directory = os.environ.get("SCREENSHOT_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def sign_in(page, username: str, next_url: str) -> None:
    """Sign in through the login form as a demo account, and land on ``next_url``."""
    page.goto(f"{page.base}/accounts/login/?next={next_url}")
    page.fill("#id_login", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_url}")
