"""People arrive: an invitation through the mail server, a password, a second factor, a cell
edited; and a colleague who signs in through the identity provider lands with their role."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.access import can
from accounts.roles import Action, Role
from accounts.selectors import principal_roles
from accounts.services import role_set
from matrices.models import Provider
from tests.e2e.conftest import screenshot, sign_in
from tests.servers import Mailbox

pytestmark = pytest.mark.e2e

NEWCOMER = "newcomer@example.com"
PASSWORD = "Invited-Pass-4821"
EDIT_LINK = "a[aria-label='Edit Access control on SingleStore Helios BYOC']"


@pytest.fixture
def totp_tolerance(settings):
    # One period either side, so the code typed at sign-in may be the next one (a code
    # once used is refused, and waiting for the clock would slow the test by up to 30 s).
    settings.MFA_TOTP_TOLERANCE = 1


def signed_out_tab(page):
    """A new browser context (no cookies) on the same live server."""
    tab = page.context.browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    tab.set_default_timeout(10_000)
    tab.base = page.base
    return tab


def test_an_invited_editor_sets_a_password_and_a_second_factor_then_edits_a_cell(
    page, mail: Mailbox, settings, totp_tolerance
):
    # The provider admin invites an address to the editor role on the Access page.
    sign_in(page, "demo-admin", "/providers/singlestore/access/")
    invite = page.locator("form[action$='/invitations/#invitations']")
    invite.locator("input[name='email']").fill(NEWCOMER)
    invite.locator("select[name='role']").select_option(Role.EDITOR.value)
    invite.locator("input[name='reason']").fill("joins the compliance team")
    invite.locator("button[type=submit]").click()
    page.get_by_text(f"Invitation sent to {NEWCOMER}").wait_for()
    screenshot(page, "people-invited")

    # The email arrives through the SMTP server; its link opens the invitation.
    (message,) = mail.wait_for(NEWCOMER)
    (link,) = [url for url in Mailbox.links(message) if "/accounts/invitations/" in url]
    assert link.startswith(page.base)
    tab = signed_out_tab(page)
    tab.goto(link)
    assert "Editor" in tab.locator("main").inner_text()
    tab.fill("input[name='username']", "newcomer")
    tab.fill("input[name='password1']", PASSWORD)
    tab.fill("input[name='password2']", PASSWORD)
    tab.click("form.invitation-form button[type=submit]")
    tab.wait_for_url("**/providers/singlestore/**")
    provider = Provider.objects.get(slug="singlestore")
    newcomer = get_user_model().objects.get(username="newcomer")
    assert principal_roles(provider, newcomer) == {Role.EDITOR}

    # With the policy on (as in production), an editor without a second factor is sent to
    # set one up before any write. (The demo admin, who invited them, has none either.)
    settings.MFA_REQUIRED_FOR_WRITERS = True
    tab.goto(tab.base + "/providers/singlestore/")
    tab.click(EDIT_LINK)
    editor = tab.locator("tr.edit-row")
    editor.wait_for()
    editor.locator("textarea").first.fill("Blocked until a second factor is set up.")
    editor.locator("input[name='cell-reason']").fill("first edit")
    editor.get_by_role("button", name="Save", exact=True).click()
    tab.wait_for_url("**/accounts/2fa/**")
    assert "set up a second factor first" in tab.locator("main").inner_text()

    # TOTP, as an authenticator app would read it from the secret under the QR code.
    tab.goto(tab.base + "/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a change to how one signs in.
    tab.wait_for_url("**/accounts/reauthenticate/**")
    tab.fill("input[name='password']", PASSWORD)
    tab.locator("form.allauth-form button[type=submit]").click()
    tab.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = tab.locator("#authenticator_secret").input_value()
    totp = pyotp.TOTP(secret)
    screenshot(tab, "people-totp-activate")
    tab.fill("input[name='code']", totp.now())
    tab.locator("form.allauth-form button[type=submit]").click()
    tab.wait_for_url("**/accounts/2fa/**")
    assert "Authenticator app activated" in tab.locator("main").inner_text() or (
        "recovery" in tab.url
    )

    # Sign out, and in again with the password and then a code.
    tab.goto(tab.base + "/accounts/logout/")
    tab.locator("main form button[type=submit]").click()
    tab.goto(tab.base + "/accounts/login/?next=/providers/singlestore/")
    tab.fill("#id_login", "newcomer")
    tab.fill("#id_password", PASSWORD)
    tab.click("form.allauth-form button[type=submit]")
    tab.wait_for_url("**/accounts/2fa/authenticate/**")
    tab.fill("input[name='code']", totp.at(time.time() + 30))  # the next period's code
    screenshot(tab, "people-totp-sign-in")
    tab.locator("form.allauth-form button[type=submit]").click()
    tab.wait_for_url("**/providers/singlestore/")

    # Now the edit goes through, in place.
    tab.click(EDIT_LINK)
    editor = tab.locator("tr.edit-row")
    editor.wait_for()
    editor.locator("textarea").first.fill("Define the **access control scheme** of each region.")
    editor.locator("input[name='cell-reason']").fill("first edit, with a second factor")
    editor.get_by_role("button", name="Save", exact=True).click()
    editor.wait_for(state="detached")
    assert "access control scheme of each region" in tab.locator("#d-access-control").inner_text()
    screenshot(tab, "people-first-edit")
    tab.context.close()


def test_a_colleague_signs_in_through_the_identity_provider_and_lands_with_their_role(
    page, idp, settings
):
    settings.SSO_SIGNUP = "open"
    provider = Provider.objects.get(slug="singlestore")
    editors = Group.objects.create(name="SingleStore editors")
    role_set(actor=None, provider=provider, principal=editors, role=Role.EDITOR, reason="SSO")
    idp.person("sso-fay", email="fay@idp.example", name="Fay Example", groups=["srm-editors"])

    # The identity provider knows the portal's callback on 127.0.0.1 (a loopback address,
    # any port), not on "localhost".
    base = page.base.replace("//localhost:", "//127.0.0.1:")
    page.goto(base + "/accounts/login/?next=/providers/singlestore/")
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.wait_for_url(f"{idp.base}/**")  # the identity provider's own sign-in page
    screenshot(page, "people-idp-sign-in")
    page.fill("input[name='username']", "sso-fay")
    page.fill("input[name='password']", "idp-Pass-12345")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(f"{base}/providers/singlestore/**")

    # Signed in as the new account, with the editor role the group claim gave it.
    assert "sso-fay" in page.locator(".site-header").inner_text()
    assert page.locator(EDIT_LINK).count() == 1
    fay = editors.user_set.get()
    assert fay.username == "sso-fay"
    assert can(fay, provider, Action.EDIT)  # through the group the claim put them in
    screenshot(page, "people-sso-landed")
