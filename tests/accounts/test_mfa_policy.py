"""The second-factor policy (MFA_REQUIRED_FOR_WRITERS): writers set up a factor before any write."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.mfa_policy import WHY, meets_mfa_policy, needs_second_factor
from accounts.models import ApiToken, TokenScope
from accounts.roles import Role
from accounts.services import role_set
from accounts.tokens import token_create
from matrices.demo.accounts import DEMO_PASSWORD
from matrices.models import Cell, Provider
from tests.factories import state

pytestmark = pytest.mark.django_db

CELL_PAGE = reverse("matrices:cell_edit", args=["singlestore", "helios", "compliance"])
CELL_API = "/api/v1/providers/singlestore/cells/helios/compliance/"
SETUP = "/accounts/2fa/"


@pytest.fixture
def policy_on(settings):
    settings.MFA_REQUIRED_FOR_WRITERS = True


def cell() -> Cell:
    return Cell.objects.get(
        provider__slug="singlestore", offering__slug="helios", domain__slug="compliance"
    )


def page_edit() -> dict:
    """The cell page's form, changing the customer's duty."""
    current = cell()
    data = {"cell-ownership": "customer", "cell-version": current.version, "cell-reason": "t"}
    for party in current.provider.parties.all():
        data.update(
            {
                f"p{party.pk}-TOTAL_FORMS": 1,
                f"p{party.pk}-INITIAL_FORMS": 0,
                f"p{party.pk}-0-text": f"New duty for {party.name}.",
            }
        )
    return data


def api_edit() -> dict:
    """The API's change of the same cell."""
    customer = Provider.objects.get(slug="singlestore").parties.get(role="customer")
    return {
        "ownership": "shared",
        "duties": [{"party": customer.pk, "text": "Keep the evidence.", "scope": ""}],
        "version": cell().version,
        "reason": "API test",
    }


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    counters = list(yield_hotp_counters_from_time())  # now, within the tolerance either side
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.mark.parametrize("who", ["editor", "approver", "admin", "superuser"])
def test_writers_and_superusers_need_a_second_factor(users, who):
    assert needs_second_factor(users[who])


@pytest.mark.parametrize("who", ["viewer", "auditor", "outsider"])
def test_readers_need_no_second_factor(users, who):
    assert not needs_second_factor(users[who])


def test_a_role_held_through_a_group_counts(users, singlestore):
    group = Group.objects.create(name="compliance")
    role_set(actor=None, provider=singlestore, principal=group, role=Role.EDITOR)
    users["outsider"].groups.add(group)
    assert needs_second_factor(users["outsider"])


def test_recovery_codes_alone_are_no_second_factor(users, policy_on):
    Authenticator.objects.create(
        user=users["editor"], type=Authenticator.Type.RECOVERY_CODES, data={}
    )
    assert not meets_mfa_policy(users["editor"])


def test_a_passkey_is_a_second_factor(users, policy_on):
    Authenticator.objects.create(user=users["editor"], type=Authenticator.Type.WEBAUTHN, data={})
    assert meets_mfa_policy(users["editor"])


def test_it_sends_an_editor_without_a_factor_to_set_one_up_and_writes_nothing(as_user, policy_on):
    client = as_user("editor")
    data = page_edit()
    before = state()
    response = client.post(CELL_PAGE, data)
    assert (response.status_code, response.url) == (302, SETUP)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [WHY]
    assert state() == before


def test_the_setup_page_says_why(as_user, policy_on):
    client = as_user("editor")
    response = client.post(CELL_PAGE, page_edit(), follow=True)
    assert response.redirect_chain[-1][0] == SETUP
    assert WHY in response.content.decode()


def test_htmx_is_sent_to_set_one_up_through_hx_redirect(as_user, policy_on):
    client = as_user("editor")
    data = page_edit()
    before = state()
    response = client.post(CELL_PAGE, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == SETUP
    assert state() == before


def test_an_api_write_is_refused_with_a_reason(as_user, policy_on):
    client = as_user("editor")
    data = api_edit()
    before = state()
    response = client.put(CELL_API, data, content_type="application/json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (
        "mfa_required",
        f"{WHY} Set one up on /accounts/2fa/.",
    )
    assert state() == before


def test_a_token_of_a_user_without_a_factor_writes_nothing(users, policy_on, settings):
    settings.MFA_REQUIRED_FOR_WRITERS = False  # made before the policy was turned on
    _, secret = token_create(user=users["editor"], name="ci", scope=TokenScope.READ_WRITE)
    settings.MFA_REQUIRED_FOR_WRITERS = True
    data = api_edit()
    before = state()
    response = Client().put(
        CELL_API,
        data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"
    assert state() == before
    # Reading goes on.
    assert Client().get(CELL_API, headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_a_superuser_without_a_factor_is_stopped_too(as_user, policy_on):
    client = as_user("superuser")
    before = state()
    response = client.post(CELL_PAGE, page_edit())
    assert (response.status_code, response.url) == (302, SETUP)
    assert state() == before


def test_a_viewer_is_not_affected(as_user, policy_on, users):
    client = as_user("viewer")
    response = client.post("/accounts/tokens/", {"do": "create", "name": "laptop"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=users["viewer"]).count() == 1
    # Refused for the role, as before: not sent to set up a factor.
    assert client.post(CELL_PAGE, page_edit()).status_code == 403


def test_the_policy_off_changes_nothing(as_user, settings):
    settings.MFA_REQUIRED_FOR_WRITERS = False
    response = as_user("editor").post(CELL_PAGE, page_edit())
    assert response.status_code == 302
    assert response.url != SETUP
    assert [d.text for d in cell().duties.filter(party__role="customer")] == [
        "New duty for Customer."
    ]


def test_writes_work_at_once_after_enrolment_in_the_same_session(as_user, users, policy_on):
    client = as_user("editor")
    assert client.post(CELL_PAGE, page_edit()).url == SETUP
    TOTP.activate(users["editor"], generate_totp_secret())
    response = client.post(CELL_PAGE, page_edit())
    assert response.status_code == 302
    assert response.url != SETUP
    assert cell().duties.filter(text="New duty for Customer.").exists()


def test_activating_totp_on_its_page_opens_writes(client, users, policy_on):
    """The real flow: sign in, confirm the password, open the activation page, send the
    code an authenticator app would show."""
    signed_in = client.post("/accounts/login/", {"login": "demo-editor", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    # allauth asks for the password again before a factor is added.
    activate = "/accounts/2fa/totp/activate/"
    assert client.get(activate).url.startswith("/accounts/reauthenticate/")
    client.post(f"/accounts/reauthenticate/?next={activate}", {"password": DEMO_PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()  # the QR code
    secret = client.session["mfa.totp.secret"]
    activated = client.post(activate, {"code": totp_code(secret)})
    assert activated.status_code == 302, activated.content.decode()
    assert Authenticator.objects.filter(user=users["editor"], type="totp").exists()
    response = client.post(CELL_PAGE, page_edit())
    assert response.status_code == 302
    assert response.url != SETUP


def test_signing_out_still_works(as_user, policy_on):
    client = as_user("editor")
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_the_banner_links_writers_without_a_factor_to_the_setup(as_user, policy_on, users):
    html = as_user("editor").get("/").content.decode()
    assert 'class="mfa-banner"' in html
    assert f'href="{SETUP}"' in html
    assert 'class="mfa-banner"' not in as_user("viewer").get("/").content.decode()
    TOTP.activate(users["editor"], generate_totp_secret())
    assert 'class="mfa-banner"' not in as_user("editor").get("/").content.decode()


def test_no_banner_with_the_policy_off(as_user):
    assert 'class="mfa-banner"' not in as_user("editor").get("/").content.decode()


def test_token_creation_is_refused_until_the_policy_is_met(as_user, users, policy_on):
    with pytest.raises(PermissionDenied):
        token_create(user=users["editor"], name="ci")
    client = as_user("editor")
    response = client.post("/accounts/tokens/", {"do": "create", "name": "ci"})
    assert response.status_code == 403
    assert "need a second factor too" in response.content.decode()
    assert not ApiToken.objects.filter(user=users["editor"]).exists()
    TOTP.activate(users["editor"], generate_totp_secret())
    assert client.post("/accounts/tokens/", {"do": "create", "name": "ci"}).status_code == 200
    assert ApiToken.objects.filter(user=users["editor"]).count() == 1


def test_a_writer_without_a_factor_may_still_revoke_a_token(as_user, users, settings):
    token, _ = token_create(user=users["editor"], name="old")
    settings.MFA_REQUIRED_FOR_WRITERS = True
    response = as_user("editor").post("/accounts/tokens/", {"do": "revoke", "token": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
