"""Single sign-on through a real OpenID Connect identity provider (tests/oidc_provider, in
its own process): the authorization-code flow with PKCE, account linking, sign-up, groups.

The portal side is Django's test client; the person's browser at the identity provider is
a ``requests.Session`` (sign in there, be sent back with a code). The portal fetches the
tokens, keys and claims from the identity provider itself, over HTTP.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role
from accounts.services import role_set
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import Provider
from tests.environment import settings_from_env
from tests.servers import SSO_CALLBACK

pytestmark = pytest.mark.django_db

User = get_user_model()
START = "/accounts/oidc/sso/login/"
PASSWORD = "idp-Pass-12345"


@pytest.fixture
def open_signup(settings, idp):
    settings.SSO_SIGNUP = "open"
    return idp


def sso_sign_in(client, idp, username: str, password: str = PASSWORD, process: str = "login"):
    """Press "Sign in with Test IdP" (or "Connect"), sign in at the identity provider as
    ``username``, and come back to the portal with the code; returns the portal's answer
    to the callback."""
    start = client.post(START, {"process": process})
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{idp.issuer}/authorize/")
    assert "code_challenge=" in start["Location"]  # PKCE
    browser = requests.Session()
    to_login = browser.get(start["Location"], allow_redirects=False)
    login_url = urljoin(idp.base, to_login.headers["Location"])
    form = browser.get(login_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    signed_in = browser.post(
        login_url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": username,
            "password": password,
            "next": next_url,
        },
        headers={"Referer": login_url},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    back = browser.get(urljoin(idp.base, signed_in.headers["Location"]), allow_redirects=False)
    callback = back.headers["Location"]
    assert callback.startswith(f"http://testserver{SSO_CALLBACK}?code="), callback
    return client.get(callback.removeprefix("http://testserver"))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def member(username: str, email: str, *, verified: bool) -> User:
    """A portal account with ``email`` (verified or not, as allauth records addresses)."""
    user = User.objects.create_user(username, email=email, password="x-Pass-12345")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_the_sign_in_page_offers_sso_only_when_it_is_configured(client, settings, idp):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Test IdP" in page
    assert START in page
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Test IdP" not in page
    assert START not in page


def test_open_signup_makes_an_account_from_the_claims_and_audits_it(client, open_signup):
    open_signup.person("sso-ann", email="ann@idp.example", name="Ann Example")

    response = sso_sign_in(client, open_signup, "sso-ann")

    assert response.status_code == 302
    user = signed_in_user(client)
    assert (user.username, user.email, user.first_name) == ("sso-ann", "ann@idp.example", "Ann")
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email="ann@idp.example", verified=True).exists()
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "sso"
    created = AuditRecord.objects.get(
        action=AuditAction.CREATE, object_type=ObjectType.USER, object_id=str(user.pk)
    )
    assert created.after["sso"] == "sso"
    assert created.after["sso_identities"] == [f"sso:{account.uid}"]
    sign_in = AuditRecord.objects.filter(action=AuditAction.SIGN_IN).latest("seq")
    assert sign_in.object_id == str(user.pk)
    assert sign_in.after == {"methods": ["socialaccount:sso"]}


def test_a_new_username_is_made_unique(client, open_signup):
    User.objects.create_user("sso-bo", password="x-Pass-12345")
    open_signup.person("sso-bo", email="bo@idp.example")

    sso_sign_in(client, open_signup, "sso-bo")

    assert signed_in_user(client).username == "sso-bo2"


def test_invited_mode_refuses_someone_without_an_account_and_makes_nothing(client, idp):
    idp.person("sso-cy", email="cy@idp.example")
    users, records = User.objects.count(), AuditRecord.objects.count()

    response = sso_sign_in(client, idp, "sso-cy")

    assert response.status_code == 403
    page = " ".join(response.content.decode().split())
    assert "there is no portal account for you" in page
    assert "cy@idp.example" in page
    assert signed_in_user(client) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert AuditRecord.objects.count() == records


def test_an_account_with_the_same_verified_address_is_linked_and_audited(client, idp):
    dee = member("dee", "dee@idp.example", verified=True)
    idp.person("sso-dee", email="Dee@idp.example")

    response = sso_sign_in(client, idp, "sso-dee")

    assert response.status_code == 302
    assert signed_in_user(client) == dee
    account = SocialAccount.objects.get(user=dee)
    assert User.objects.filter(email__iexact="dee@idp.example").count() == 1
    assert dee.__class__.objects.get(pk=dee.pk).has_usable_password()
    connected = AuditRecord.objects.get(
        action=AuditAction.UPDATE, object_type=ObjectType.USER, object_id=str(dee.pk)
    )
    assert connected.before == {"sso_identities": []}
    assert connected.after == {"sso_identities": [f"sso:{account.uid}"]}
    # The next sign-in finds the link by the identity provider's subject.
    client.logout()
    sso_sign_in(client, idp, "sso-dee")
    assert signed_in_user(client) == dee


@pytest.mark.parametrize(
    ("portal_verified", "idp_verified"), [(False, True), (True, False)], ids=["portal", "idp"]
)
def test_an_address_unverified_on_either_side_is_not_linked(
    client, open_signup, portal_verified, idp_verified
):
    eve = member("eve", "eve@idp.example", verified=portal_verified)
    open_signup.person("sso-eve", email="eve@idp.example", email_verified=idp_verified)
    users = User.objects.count()

    response = sso_sign_in(client, open_signup, "sso-eve")

    assert response.status_code == 403
    page = " ".join(response.content.decode().split())
    assert "cannot be joined to your Test IdP sign-in" in page
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == users
    assert User.objects.get(pk=eve.pk).has_usable_password()


@pytest.fixture
def editors_group(db) -> Group:
    """A portal group that holds the editor role on SingleStore."""
    group = Group.objects.create(name="SingleStore editors")
    role_set(
        actor=None,
        provider=Provider.objects.get(slug="singlestore"),
        principal=group,
        role=Role.EDITOR,
    )
    return group


def test_the_groups_claim_brings_the_role_of_the_mapped_group(client, open_signup, editors_group):
    open_signup.person("sso-fay", email="fay@idp.example", groups=["srm-editors", "other"])
    Group.objects.create(name="Unmapped")

    sso_sign_in(client, open_signup, "sso-fay")

    fay = signed_in_user(client)
    assert set(fay.groups.values_list("name", flat=True)) == {"SingleStore editors"}
    assert client.get(reverse("matrices:import", args=["singlestore"])).status_code == 200
    synced = AuditRecord.objects.get(
        action=AuditAction.UPDATE, object_type=ObjectType.USER, object_id=str(fay.pk)
    )
    assert (synced.before, synced.after) == ({"groups": []}, {"groups": ["SingleStore editors"]})


def test_a_later_sign_in_without_the_claim_takes_only_mapped_groups_away(
    client, open_signup, editors_group
):
    open_signup.person("sso-gil", email="gil@idp.example", groups=["srm-editors"])
    sso_sign_in(client, open_signup, "sso-gil")
    gil = signed_in_user(client)
    gil.groups.add(Group.objects.create(name="Kept by hand"))
    client.logout()

    open_signup.person("sso-gil", email="gil@idp.example", groups=[])
    sso_sign_in(client, open_signup, "sso-gil")

    assert signed_in_user(client) == gil
    assert set(gil.groups.values_list("name", flat=True)) == {"Kept by hand"}
    assert client.get(reverse("matrices:import", args=["singlestore"])).status_code == 403
    removed = AuditRecord.objects.filter(object_type=ObjectType.USER, object_id=str(gil.pk))
    assert removed.latest("seq").after == {"groups": []}


def test_a_signed_in_user_connects_the_identity_provider_from_their_page(client, idp):
    ivy = member("ivy", "ivy@portal.example", verified=False)
    idp.person("sso-ivy", email="ivy@idp.example")
    client.force_login(ivy)

    response = sso_sign_in(client, idp, "sso-ivy", process="connect")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/"
    account = SocialAccount.objects.get(user=ivy)
    record = AuditRecord.objects.filter(object_type=ObjectType.USER, object_id=str(ivy.pk))
    assert record.latest("seq").after == {"sso_identities": [f"sso:{account.uid}"]}
    client.logout()
    sso_sign_in(client, idp, "sso-ivy")
    assert signed_in_user(client) == ivy


def test_disconnecting_the_identity_provider_is_audited(client, idp):
    hal = member("hal", "hal@idp.example", verified=True)
    idp.person("sso-hal", email="hal@idp.example")
    sso_sign_in(client, idp, "sso-hal")
    account = SocialAccount.objects.get(user=hal)

    response = client.post("/accounts/3rdparty/", {"account": account.pk})

    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=hal).exists()
    record = AuditRecord.objects.filter(object_type=ObjectType.USER, object_id=str(hal.pk))
    record = record.latest("seq")
    assert record.before == {"sso_identities": [f"sso:{account.uid}"]}
    assert record.after == {"sso_identities": []}


def test_a_password_sign_in_is_audited_with_its_method(client):
    User.objects.create_user("ida", password="x-Pass-12345")
    client.post("/accounts/login/", {"login": "ida", "password": "x-Pass-12345"})
    record = AuditRecord.objects.filter(action=AuditAction.SIGN_IN).latest("seq")
    assert record.after == {"methods": ["password"]}


def test_an_issuer_without_a_client_is_a_configuration_error():
    result = settings_from_env({"OIDC_ISSUER": "https://idp.example/realms/srm"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET" in result.stderr


def test_a_malformed_group_map_is_a_configuration_error():
    result = settings_from_env({"OIDC_GROUPS_CLAIM": "groups", "OIDC_GROUP_MAP": "editors"})
    assert result.returncode != 0
    assert "OIDC_GROUP_MAP: 'editors' is not 'idp-group=portal-group'" in result.stderr


def test_the_issuer_may_receive_the_sign_in_form_and_the_secret_may_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    env = {
        "OIDC_ISSUER": "https://idp.example:8443/realms/srm/",
        "OIDC_CLIENT_ID": "portal",
        "OIDC_CLIENT_SECRET_FILE": str(secret),
        "OIDC_NAME": "Keycloak",
    }
    result = settings_from_env(env, "CONTENT_SECURITY_POLICY", "SOCIALACCOUNT_PROVIDERS")
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout)
    assert "form-action 'self' https://idp.example:8443;" in built["CONTENT_SECURITY_POLICY"]
    (app,) = built["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert app["provider_id"] == "sso"
    assert (app["name"], app["client_id"], app["secret"]) == ("Keycloak", "portal", "from-a-file")
    assert app["settings"]["server_url"] == "https://idp.example:8443/realms/srm"
    assert app["settings"]["oauth_pkce_enabled"] is True


def test_without_an_issuer_there_is_no_sso_and_no_outside_form_action():
    result = settings_from_env({}, "CONTENT_SECURITY_POLICY", "SOCIALACCOUNT_PROVIDERS")
    built = json.loads(result.stdout)
    assert built["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"] == []
    assert "form-action 'self';" in built["CONTENT_SECURITY_POLICY"]
