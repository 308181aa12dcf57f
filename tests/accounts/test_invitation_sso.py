"""Single sign-on and invitations: with SSO_SIGNUP="invited", an identity provider makes an
account only for the address of the invitation opened in the same session, and only when
it says that address is verified; the sign-up or sign-in then accepts the invitation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory

from accounts.adapters import SocialAccountAdapter
from accounts.invitations import invitation_create
from accounts.models import Invitation
from accounts.roles import Role
from accounts.selectors import principal_roles
from matrices.models import Provider

pytestmark = pytest.mark.django_db

INVITED = "sso.person@example.com"
PASSWORD = "a-Long-passphrase-42"
TOKEN = "fixed-token-for-the-test"
LINK = f"/accounts/invitations/{TOKEN}/"


@pytest.fixture
def opened(users, monkeypatch):
    """An invitation whose link was opened: (the visitor's client, the invitation)."""
    monkeypatch.setattr("accounts.invitations.secrets.token_urlsafe", lambda n: TOKEN)
    invitation = invitation_create(
        actor=users["admin"],
        provider=Provider.objects.get(slug="singlestore"),
        email=INVITED,
        role=Role.AUDITOR,
        base_url="http://testserver/",
    )
    client = Client()
    assert client.get(LINK).status_code == 200
    return client, invitation


def request_of(client: Client):
    request = RequestFactory().get("/accounts/oidc/idp/login/callback/")
    request.session = client.session
    request._messages = FallbackStorage(request)
    return request


def sociallogin(email: str, *, verified: bool = True):
    """What allauth hands the adapter: the addresses the identity provider vouches for."""
    return SimpleNamespace(email_addresses=[EmailAddress(email=email, verified=verified)])


def test_sso_signs_up_the_invited_address_when_the_identity_provider_verified_it(opened):
    client, _ = opened
    assert SocialAccountAdapter().is_open_for_signup(request_of(client), sociallogin(INVITED))


def test_sso_refuses_an_address_the_identity_provider_did_not_verify(opened):
    client, _ = opened
    login = sociallogin(INVITED, verified=False)
    assert not SocialAccountAdapter().is_open_for_signup(request_of(client), login)


def test_sso_refuses_another_address(opened):
    client, _ = opened
    login = sociallogin("someone.else@example.com")
    assert not SocialAccountAdapter().is_open_for_signup(request_of(client), login)


def test_sso_refuses_without_an_opened_invitation(db):
    login = sociallogin(INVITED)
    assert not SocialAccountAdapter().is_open_for_signup(request_of(Client()), login)


def test_sso_refuses_a_revoked_invitation(opened):
    client, invitation = opened
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created_at)
    assert not SocialAccountAdapter().is_open_for_signup(request_of(client), sociallogin(INVITED))


def test_open_sso_signup_lets_anyone_in(settings):
    settings.SSO_SIGNUP = "open"
    login = sociallogin("anyone@example.com", verified=False)
    assert SocialAccountAdapter().is_open_for_signup(request_of(Client()), login)


def test_an_sso_sign_up_accepts_the_opened_invitation(opened):
    client, invitation = opened
    request = request_of(client)
    user = get_user_model().objects.create_user("sso-person", INVITED)
    EmailAddress.objects.create(user=user, email=INVITED, verified=True, primary=True)
    user_signed_up.send(
        sender=type(user), request=request, user=user, sociallogin=sociallogin(INVITED)
    )
    assert principal_roles(invitation.provider, user) == {Role.AUDITOR}
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == user
    # (The account's own record is written where single sign-on makes it: test_sso.py.)
    assert "invitation_digest" not in request.session


def test_signing_in_with_the_verified_address_accepts_the_opened_invitation(opened):
    client, invitation = opened
    user = get_user_model().objects.create_user("known", INVITED, PASSWORD)
    EmailAddress.objects.create(user=user, email=INVITED, verified=True, primary=True)
    response = client.post("/accounts/login/", {"login": "known", "password": PASSWORD})
    assert response.status_code == 302
    assert principal_roles(invitation.provider, user) == {Role.AUDITOR}


def test_signing_in_with_an_unverified_address_leaves_the_invitation_to_the_page(opened):
    client, invitation = opened
    user = get_user_model().objects.create_user("known", INVITED, PASSWORD)
    EmailAddress.objects.create(user=user, email=INVITED, verified=False, primary=True)
    client.post("/accounts/login/", {"login": "known", "password": PASSWORD})
    assert principal_roles(invitation.provider, user) == set()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_invitation_page_offers_single_sign_on_when_an_identity_provider_is_set(
    opened, settings
):
    client, _ = opened
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "corp",
                    "name": "Corp ID",
                    "client_id": "portal",
                    "secret": "not-a-secret",
                    "settings": {"server_url": "https://id.example.com"},
                }
            ]
        }
    }
    page = client.get(LINK).content.decode()
    assert "Sign in with single sign-on (Corp ID)" in page
    assert 'action="/accounts/oidc/corp/login/?next=' in page
