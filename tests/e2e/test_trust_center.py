"""The trust center, end to end in Chromium: an outsider asks to read a private provider,
confirms the address from the email, is approved for a day, accepts the NDA, downloads the
stamped and signed PDF, and shows up in the analytics; subscribes and hears of the next
version, as the webhook receiver does; and once the day is over, every path refuses them."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import ProviderUserRole
from accounts.roles import Visibility
from matrices.models import Provider
from portal.celery import app as celery_app
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import customer_duty_set, publish
from tests.matrices.pdf.pdftools import pdf_text
from tests.matrices.pdf.test_sign import status_of
from tests.servers import Mailbox
from tests.trust.webhook_receivers import Receiver, serving, verify
from trust.centers import trust_center_update
from trust.grants import grants_expire
from trust.models import AccessGrant, WebhookEvent
from trust.nda import nda_publish
from trust.webhooks import webhook_create

pytestmark = pytest.mark.e2e

READER = "dana.reyes@customer-bank.example"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tasks_here():
    """This test's tasks (emails to subscribers, webhook deliveries, PDFs) run in this
    process, whose settings point at the test's mail server and allow the loopback receiver,
    even where a worker serves the rest of the suite."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def private_trust_center(demo, settings, signing):
    """SingleStore made private, its trust center on, with an NDA."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    provider = Provider.objects.get(slug="singlestore")
    Provider.objects.filter(pk=provider.pk).update(visibility=Visibility.PRIVATE)
    provider.refresh_from_db()
    admin = get_user_model().objects.get(username="demo-admin")
    trust_center_update(
        actor=admin,
        provider=provider,
        enabled=True,
        introduction="Our **shared-responsibility matrix**, for customers and their auditors.",
        default_days=30,
        auto_approve_domains=[],
    )
    nda_publish(
        actor=admin,
        provider=provider,
        body="# Mutual NDA\n\nWhat you read here stays between us.",
    )
    return provider


def phone_shot(page, path: str, name: str) -> None:
    """The same page on a phone, in the same session (cookies copied)."""
    context = page.context.browser.new_context(viewport=PHONE, is_mobile=True)
    context.add_cookies(page.context.cookies())
    tab = context.new_page()
    tab.goto(page.base + path)
    screenshot(tab, f"{name}-phone")
    context.close()


def new_tab(page):
    tab = page.context.browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.set_default_timeout(15_000)
    tab.base = page.base
    return tab


def test_an_outsider_asks_reads_for_a_day_and_is_refused_after(
    page, mail: Mailbox, private_trust_center, signing, tasks_here
):
    provider = private_trust_center
    admin = get_user_model().objects.get(username="demo-admin")
    receiver = Receiver()
    with serving(receiver):
        hook = webhook_create(
            actor=admin,
            provider=provider,
            url=receiver.url(),
            events=[WebhookEvent.ACCESS_REQUESTED, WebhookEvent.VERSION_PUBLISHED],
        )
        _walk_through(page, mail, provider, receiver, hook, cert=signing[1])


def _walk_through(page, mail, provider, receiver, hook, *, cert: str) -> None:
    # An outsider opens the trust center of a private provider: no content, a request.
    reader = new_tab(page)
    reader.goto(reader.base + "/trust/singlestore/")
    assert "access needed" in reader.locator("main").inner_text()
    screenshot(reader, "trust-page")
    phone_shot(reader, "/trust/singlestore/", "trust-page")
    reader.get_by_role("link", name="Request access").click()
    reader.fill("input[name=name]", "Dana Reyes")
    reader.fill("input[name=email]", READER)
    reader.fill("input[name=company]", "Customer Bank")
    reader.fill("textarea[name=purpose]", "Vendor review of SingleStore for our 2027 audit.")
    screenshot(reader, "trust-request-form")
    phone_shot(reader, "/trust/singlestore/request/", "trust-request-form")
    time.sleep(3.2)  # the form refuses what is sent faster than a person types
    reader.get_by_role("button", name="Send the request").click()
    reader.wait_for_url("**/request/sent/**")

    # The confirmation link arrives through the SMTP server; confirming signs them in.
    (message,) = mail.wait_for(READER)
    (link,) = [url for url in Mailbox.links(message) if "/trust/confirm/" in url]
    reader.goto(link)
    reader.get_by_role("button", name="Confirm my address").click()
    reader.wait_for_load_state()
    assert "SingleStore" in reader.locator("main").inner_text()
    account = get_user_model().objects.get(email=READER)
    delivered = _wait(lambda: [r for r in receiver.requests if b"access.requested" in r.body])
    assert verify(hook.secret, delivered[0].headers["X-SRM-Signature"], delivered[0].body)

    # A provider admin approves it for one day, from the queue.
    sign_in(page, "demo-admin", "/providers/singlestore/trust/requests/")
    assert "Dana Reyes" in page.locator("main").inner_text()
    screenshot(page, "trust-queue")
    phone_shot(page, "/providers/singlestore/trust/requests/", "trust-queue")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    decision = page.locator("form.trust-decision", has=page.get_by_role("button", name="Approve"))
    decision.first.locator("input[name$=expires_on]").fill(tomorrow)
    decision.first.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    grant = AccessGrant.objects.get(user=account, provider=provider)
    assert grant.expires_at - timezone.now() < timedelta(days=2)
    assert any("can now read" in m["Subject"] for m in mail.wait_for(READER, count=2))

    # The reader is asked for the NDA first, accepts it, and reads the matrix.
    reader.goto(reader.base + "/providers/singlestore/")
    reader.wait_for_url("**/trust/singlestore/nda/")
    reader.get_by_label("I have read and accept").check()
    reader.get_by_role("button", name="Accept and continue").click()
    reader.wait_for_url("**/providers/singlestore/")

    # The PDF: stamped with the reader's name, signed, valid.
    reader.goto(reader.base + "/providers/singlestore/pdf/?variant=matrix")
    download_link = reader.get_by_role("link", name="Download")
    download_link.wait_for(timeout=90_000)
    with reader.expect_download() as download:
        download_link.click()
    data = Path(download.value.path()).read_bytes()
    assert "Downloaded by Dana Reyes" in pdf_text(data)
    status = status_of(data, cert)
    assert status.intact
    assert status.valid

    # The analytics show who read and downloaded what.
    page.goto(page.base + "/providers/singlestore/trust/analytics/")
    analytics = page.locator("main").inner_text()
    assert READER in analytics
    assert "Customer Bank" in analytics
    assert "pdf:matrix" in analytics
    screenshot(page, "trust-analytics")
    phone_shot(page, "/providers/singlestore/trust/analytics/", "trust-analytics")

    # The reader subscribes (double opt-in), and hears of the next version, as does the
    # webhook receiver.
    reader.goto(reader.base + "/trust/singlestore/subscribe/")
    reader.get_by_role("button", name="Subscribe").click()
    reader.wait_for_url("**/subscribe/sent/**")
    confirm = _last_link(mail, "/trust/subscriptions/", "/confirm/")
    reader.goto(confirm)
    reader.get_by_role("button", name="Confirm").click()
    reader.wait_for_load_state()
    mail.clear()
    editor = get_user_model().objects.get(username="demo-editor")
    customer_duty_set(editor, "Rotate the backup encryption keys every quarter.")
    version = publish(provider, "Backups' keys are now the customer's to rotate.")
    (notice,) = mail.wait_for(READER)
    assert f"version {version.number}" in notice["Subject"]
    assert notice["List-Unsubscribe"]
    assert "Rotate the backup encryption keys" in Mailbox.text(notice)
    published = _wait(lambda: [r for r in receiver.requests if b"version.published" in r.body])
    assert verify(hook.secret, published[0].headers["X-SRM-Signature"], published[0].body)
    assert json.loads(published[0].body)["data"]["number"] == version.number

    # A day later: the grant has expired, and every path refuses the reader.
    past = timezone.now() - timedelta(seconds=1)
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=past)
    ProviderUserRole.objects.filter(user=account, content_object=provider).update(expires_at=past)
    paths = [
        "/providers/singlestore/",
        "/providers/singlestore/offerings/helios/",
        "/providers/singlestore/export.csv",
        "/providers/singlestore/pdf/?variant=matrix",
        f"/providers/singlestore/versions/{version.number}/",
        "/api/v1/providers/singlestore/matrix/",
        "/api/v1/providers/singlestore/export.csv",
    ]
    refused = {
        path: reader.request.get(reader.base + path, max_redirects=0).status for path in paths
    }
    assert refused == dict.fromkeys(paths, 404)
    assert grants_expire() == 1
    reader.goto(reader.base + "/trust/singlestore/")
    assert "Request access" in reader.locator("main").inner_text()


def _wait(found, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("nothing arrived in time")


def _last_link(mail: Mailbox, *parts: str) -> str:
    def links():
        return [
            url
            for message in mail.messages(READER)
            for url in Mailbox.links(message)
            if all(part in url for part in parts)
        ]

    return _wait(links)[-1]
