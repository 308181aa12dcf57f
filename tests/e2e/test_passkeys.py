"""A passkey: added on the two-factor page with Chromium's virtual authenticator (as a
phone or a security key would answer), then used alone to sign in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from audit.models import AuditRecord, ObjectType
from matrices.demo.accounts import DEMO_PASSWORD
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def authenticator(page):
    """A virtual FIDO2 authenticator with user verification (a PIN or a fingerprint, always
    given), through Chromium's DevTools protocol."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield cdp, added["authenticatorId"]
    cdp.send("WebAuthn.disable")


def test_a_passkey_is_added_and_signs_its_owner_in_without_a_password(page, authenticator):
    cdp, authenticator_id = authenticator
    sign_in(page, "demo-viewer", "/accounts/2fa/")
    page.goto(page.base + "/accounts/2fa/webauthn/add/?passwordless=1")
    if "/reauthenticate/" in page.url:  # allauth asks for the password again first
        page.fill("input[name='password']", DEMO_PASSWORD)
        page.locator("form.allauth-form button[type=submit]").click()
        page.wait_for_url("**/accounts/2fa/webauthn/add/**")
    page.fill("input[name='name']", "Laptop passkey")
    passwordless = page.locator("input[name='passwordless']")
    if passwordless.count() and not passwordless.is_checked():
        passwordless.check()
    screenshot(page, "passkey-add")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["isResidentCredential"]  # a passkey, not just a key
    added = AuditRecord.objects.filter(object_type=ObjectType.AUTHENTICATOR).latest("seq")
    assert added.action == "create"
    assert added.actor_label == "demo-viewer"

    # Signed out, the passkey alone signs them in.
    page.goto(page.base + "/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    page.goto(page.base + "/accounts/login/?next=/accounts/email/")
    page.click("#passkey_login")
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/email/")
    assert "demo-viewer" in page.locator(".site-header").inner_text()
    sign_in_record = AuditRecord.objects.filter(action="sign-in").latest("seq")
    assert sign_in_record.actor_label == "demo-viewer"
    assert sign_in_record.after == {"methods": ["mfa:webauthn"]}
    screenshot(page, "passkey-signed-in")
