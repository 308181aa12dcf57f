"""Every kind of page, checked with axe-core for WCAG 2.1 A and AA in headless Chromium.

axe-core is vendored in tests/e2e/vendor/ (see the README there) and injected by
the test only; the app never serves it. The pages send a strict CSP
(``script-src 'self'``), which blocks ``page.add_script_tag`` (an inline script).
``page.evaluate`` is not subject to the page's CSP (Chromium runs it through the
DevTools protocol), so the test evaluates axe's source in the page and calls
``axe.run`` there: no ``bypass_csp``, the pages run under their real policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.roles import Role
from accounts.tokens import token_create
from matrices.demo.accounts import demo_usernames
from matrices.models import Cell, ControlDomain, Offering, Party, Provider
from matrices.services import DutyInput, cell_set, draft_approve, draft_submit
from tests.e2e.conftest import screenshot
from trust.demo import trust_demo_load

pytestmark = pytest.mark.e2e

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
P = "/providers/singlestore"
EDIT_LINK = "a[aria-label='Edit Access control on SingleStore Helios BYOC']"
SUPERUSER = "a11y-root"
T = "/providers/clickhouse/trust"
READER, WAITING_READER = "demo-reader", "demo-reader-2"  # made by trust.demo


def open_inline_editor(page) -> None:
    page.click(EDIT_LINK)
    page.locator("tr.edit-row textarea").first.wait_for()


@dataclass(frozen=True)
class PageKind:
    path: str  # may name {domain} and {offering}: primary keys of the SingleStore draft
    user: str | None = None  # a Role value (its demo account), SUPERUSER, or None: anonymous
    status: int = 200
    ready: str = "main"  # wait for this selector before running axe
    then: Callable | None = None  # something to do on the page first
    setup: Callable | None = None  # extra data, given the people fixture


def trust_demo(people) -> None:
    """The trust-center demo (ClickHouse Cloud gated, its readers; SingleStore's subscribers)."""
    trust_demo_load(production=False)
    for username in (READER, WAITING_READER):
        people[username] = get_user_model().objects.get(username=username)


def pending_review(people) -> None:
    provider = Provider.objects.get(slug="singlestore")
    draft_submit(actor=people[Role.EDITOR], provider=provider, summary="Clarified one duty.")


PAGES = {
    "home": PageKind("/"),
    "home-filtered": PageKind("/?name=single&kind=byoc#providers"),
    "search": PageKind("/search/?q=encryption", ready="#search-results mark"),
    "matrix-published": PageKind(f"{P}/"),
    "matrix-draft-editor": PageKind(f"{P}/", user=Role.EDITOR, ready=EDIT_LINK),
    "matrix-inline-editor": PageKind(f"{P}/", user=Role.EDITOR, then=open_inline_editor),
    "offering": PageKind(f"{P}/offerings/helios-byoc/"),
    "checklist": PageKind(f"{P}/offerings/helios-byoc/checklist/"),
    "compare": PageKind(f"{P}/compare/?o=helios&o=helios-byoc", ready="[data-compare-table]"),
    "versions-editor": PageKind(f"{P}/versions/", user=Role.EDITOR, ready=".review"),
    "versions-approver-pending": PageKind(
        f"{P}/versions/", user=Role.APPROVER, ready=".review .pending", setup=pending_review
    ),
    "version": PageKind(f"{P}/versions/1/"),
    "version-diff": PageKind(f"{P}/versions/1/diff/2/"),
    "structure": PageKind(f"{P}/structure/", user=Role.EDITOR),
    "cell-edit-page": PageKind(f"{P}/cells/helios-byoc/access-control/edit/", user=Role.EDITOR),
    "axis-edit": PageKind(f"{P}/structure/domains/{{domain}}/", user=Role.EDITOR),
    "axis-delete": PageKind(f"{P}/structure/offerings/{{offering}}/delete/", user=Role.EDITOR),
    "import": PageKind(f"{P}/import/", user=Role.EDITOR),
    "provider-new": PageKind("/providers/new/", user=SUPERUSER),
    "provider-audit-log": PageKind(f"{P}/audit/", user=Role.AUDITOR, ready="tbody tr"),
    "site-audit-log": PageKind("/audit/", user=SUPERUSER, ready="tbody tr"),
    "access": PageKind(f"{P}/access/", user=Role.ADMIN),
    "api-tokens": PageKind("/accounts/tokens/", user=Role.VIEWER),
    "sign-in": PageKind("/accounts/login/"),
    "password-reset": PageKind("/accounts/password/reset/"),
    "email-addresses": PageKind("/accounts/email/", user=Role.VIEWER),
    "password-change": PageKind("/accounts/password/change/", user=Role.VIEWER),
    "two-factor": PageKind("/accounts/2fa/", user=Role.VIEWER),
    "sessions": PageKind("/accounts/sessions/", user=Role.VIEWER),
    "sso-connections": PageKind("/accounts/3rdparty/", user=Role.VIEWER),
    "people": PageKind("/people/", user=SUPERUSER),
    "person-new": PageKind("/people/new/", user=SUPERUSER),
    # Queues the PDF and lands on its status page, checked once the PDF is ready.
    "pdf-status": PageKind(f"{P}/pdf/?variant=matrix", ready=".pdf-status a[download]"),
    # Swagger UI as loaded, operations collapsed (drf-spectacular-sidecar).
    "api-docs": PageKind("/api/docs/", ready=".swagger-ui .opblock"),
    # The trust center, with its demo data: public pages, a reader's, the team's.
    "trust-index": PageKind("/trust/", setup=trust_demo),
    "trust-page": PageKind("/trust/clickhouse/", setup=trust_demo),
    "trust-page-public": PageKind("/trust/singlestore/", setup=trust_demo),
    "trust-page-reader": PageKind("/trust/clickhouse/", user=READER, setup=trust_demo),
    "trust-request": PageKind("/trust/clickhouse/request/", setup=trust_demo),
    "trust-nda": PageKind("/trust/clickhouse/nda/", user=WAITING_READER, setup=trust_demo),
    "trust-subscribe": PageKind("/trust/singlestore/subscribe/", setup=trust_demo),
    "trust-settings": PageKind(f"{T}/", user=Role.TRUST_MANAGER, setup=trust_demo),
    "trust-requests": PageKind(f"{T}/requests/", user=Role.TRUST_MANAGER, setup=trust_demo),
    "trust-readers": PageKind(f"{T}/readers/", user=Role.TRUST_MANAGER, setup=trust_demo),
    "trust-nda-manage": PageKind(f"{T}/nda/", user=Role.ADMIN, setup=trust_demo),
    "trust-analytics": PageKind(f"{T}/analytics/", user=Role.TRUST_MANAGER, setup=trust_demo),
    "trust-subscribers": PageKind(
        "/providers/singlestore/trust/subscribers/", user=Role.TRUST_MANAGER, setup=trust_demo
    ),
    "trust-webhooks": PageKind(f"{T}/webhooks/", user=Role.ADMIN, setup=trust_demo),
    "not-found": PageKind("/providers/no-such-provider/", status=404),
    "forbidden": PageKind(f"{P}/structure/", user=Role.VIEWER, status=403),
}

PHONE_PAGES = {
    "matrix-phone": PageKind(f"{P}/"),
    "compare-phone": PageKind(f"{P}/compare/?o=helios&o=helios-byoc", ready="[data-compare-table]"),
    "trust-page-phone": PageKind("/trust/clickhouse/", setup=trust_demo),
    "trust-request-phone": PageKind("/trust/clickhouse/request/", setup=trust_demo),
    "trust-requests-phone": PageKind(f"{T}/requests/", user=Role.TRUST_MANAGER, setup=trust_demo),
    "trust-analytics-phone": PageKind(f"{T}/analytics/", user=Role.TRUST_MANAGER, setup=trust_demo),
}


@pytest.fixture
def people(demo):
    """The demo accounts by role, a superuser, and a second published version plus a draft edit.

    The demo editor changes a cell, the demo approver publishes it as version 2
    (so there is a diff between versions), then the editor changes another cell:
    the draft differs from the published version and the review panel has work.
    """
    User = get_user_model()
    people = {role: User.objects.get(username=name) for role, name in demo_usernames().items()}
    people[SUPERUSER] = User.objects.create_superuser(SUPERUSER, "root@example.com", "x-Pass-12345")
    provider = Provider.objects.get(slug="singlestore")
    customer = Party.objects.get(provider=provider, role="customer")

    def edit(offering: str, domain: str, text: str) -> None:
        cell = Cell.objects.get(provider=provider, offering__slug=offering, domain__slug=domain)
        cell_set(
            actor=people[Role.EDITOR],
            offering=cell.offering,
            domain=cell.domain,
            ownership="customer",
            duties={customer: [DutyInput(text=text)]},
            expected_version=cell.version,
        )

    edit("helios", "compliance", "Keep **evidence** for the auditors.")
    submission = draft_submit(
        actor=people[Role.EDITOR], provider=provider, summary="Evidence for the auditors."
    )
    draft_approve(
        actor=people[Role.APPROVER], submission=submission, expected_hash=submission.snapshot_hash
    )
    edit("helios-byoc", "compliance", "Review the compliance reports every quarter.")
    token_create(user=people[Role.VIEWER], name="Nightly export")
    return people


def sign_in(context, base_url: str, user) -> None:
    """Put a session cookie for ``user`` in the browser (the sign-in form has its own check)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                        resultTypes: ["violations"]})
                      .then((results) => results.violations)""",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:
    """What to fix: rule, impact, help, and the first few elements with axe's own figures."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{len(nodes)} element{'s' if len(nodes) != 1 else ''}] {violation['helpUrl']}"
        )
        for node in nodes[:4]:
            checks = node.get("any") or node.get("all") or node.get("none") or []
            detail = checks[0]["message"] if checks else ""
            lines.append(f"    {', '.join(map(str, node['target']))}: {detail}")
    return "\n".join(lines)


def check_page(browser, live_server, people, kind: PageKind, name: str, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 600)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                if msg.type == "error" and not expected_status_error(msg, kind)
                else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if kind.setup:
            kind.setup(people)
        if kind.user is not None:
            sign_in(context, live_server.url, people[kind.user])
        path = kind.path.format(
            domain=ControlDomain.objects.get(provider__slug="singlestore", slug="compliance").pk,
            offering=Offering.objects.get(provider__slug="singlestore", slug="helios").pk,
        )
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == kind.status, f"{path}: HTTP {response.status}"
        # A real Celery worker (CI's second run) takes a while with the PDF.
        page.locator(kind.ready).first.wait_for(timeout=90_000)
        if kind.then:
            kind.then(page)
        violations = axe_violations(page)
        screenshot(page, f"a11y-{name}")
        assert violations == [], (
            f"{path} as {kind.user or 'anonymous'} at {viewport['width']}px wide: "
            f"{len(violations)} WCAG 2.1 AA violation(s)\n{describe(violations)}"
        )
        assert errors == [], f"browser errors (CSP violations, 404s, script errors): {errors}"
    finally:
        context.close()


def expected_status_error(msg, kind: PageKind) -> bool:
    """Chromium logs a 4xx document as a console error; expected for the 404 and 403 pages."""
    return kind.status >= 400 and f"status of {kind.status}" in msg.text


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_21_aa_violations(browser, live_server, people, name):
    check_page(browser, live_server, people, PAGES[name], name, {"width": 1280, "height": 900})


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_phone_page_has_no_wcag_21_aa_violations(browser, live_server, people, name):
    check_page(browser, live_server, people, PHONE_PAGES[name], name, {"width": 390, "height": 844})
