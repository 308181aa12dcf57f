"""Invitations: an admin invites an address (page or API), the message arrives through a
real SMTP server, its single-use link makes the account that holds the role."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from accounts.models import Invitation
from accounts.roles import Role
from accounts.selectors import principal_roles, role_grants
from accounts.services import role_set
from audit.models import AuditRecord
from matrices.models import Provider
from tests.factories import state
from tests.servers import Mailbox, free_port

pytestmark = pytest.mark.django_db

INVITE = "/providers/singlestore/invitations/"
API = "/api/v1/providers/singlestore/invitations/"
NEWCOMER = "new.person@example.com"
PASSWORD = "a-Long-passphrase-42"
BASE = "http://testserver/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """What runs once a transaction commits (the emails) runs when the block ends: the
    tests' own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite_on_page(client, email: str = NEWCOMER, role: str = "editor", reason: str = "joins"):
    return client.post(INVITE, {"email": email, "role": role, "reason": reason})


def link_in(message) -> str:
    (link,) = [url for url in Mailbox.links(message) if "/accounts/invitations/" in url]
    return link.removeprefix("http://testserver")


def invite(users, email: str = NEWCOMER, role: Role = Role.EDITOR) -> Invitation:
    return invitation_create(
        actor=users["admin"],
        provider=Provider.objects.get(slug="singlestore"),
        email=email,
        role=role,
        base_url=BASE,
        reason="test",
    )


def invited_link(users, mail, committed, email: str = NEWCOMER, role: Role = Role.EDITOR):
    with committed():
        invitation = invite(users, email, role)
    return invitation, link_in(mail.wait_for(email)[-1])


def sign_up(link: str, username: str = "newcomer", password: str = PASSWORD):
    client = Client()
    response = client.post(
        link, {"username": username, "password1": password, "password2": password}
    )
    return client, response


def records(object_type: str, action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(object_type=object_type, action=action))


# The whole journey ----------------------------------------------------------------------


def test_an_invitation_from_the_access_page_arrives_and_its_link_makes_a_member(
    as_user, users, mail, committed
):
    with committed():
        response = invite_on_page(as_user("admin"))
    assert response.status_code == 302
    (message,) = mail.wait_for(NEWCOMER)
    text = Mailbox.text(message)
    invitation = Invitation.objects.get(email=NEWCOMER)
    assert "SingleStore" in message["Subject"]
    assert "Editor" in message["Subject"]
    assert "demo-admin" in text
    assert invitation.expires_at.strftime("%-d %B %Y") in text
    link = link_in(message)

    page = Client().get(link)
    assert page.status_code == 200
    assert b"SingleStore" in page.content
    assert b"Editor" in page.content
    assert b"demo-admin" in page.content

    client, response = sign_up(link)
    assert response.status_code == 302
    assert response["Location"] == "/providers/singlestore/"
    user = get_user_model().objects.get(username="newcomer")
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)  # signed in
    provider = Provider.objects.get(slug="singlestore")
    assert {"kind": "user", "name": "newcomer"} in [
        {"kind": row["kind"], "name": row["name"]}
        for row in role_grants(provider)
        if row["role"] == Role.EDITOR
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert EmailAddress.objects.filter(user=user, email=NEWCOMER, verified=True).exists()


def test_a_link_works_once(users, mail, committed):
    _, link = invited_link(users, mail, committed)
    sign_up(link)
    again = Client().get(link)
    assert again.status_code == 410
    assert b"already accepted" in again.content
    _, response = sign_up(link, username="someone-else")
    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="someone-else").exists()


def test_an_invitation_made_through_the_api_arrives_and_is_listed(as_user, users, mail, committed):
    client = as_user("admin")
    with committed():
        response = client.post(
            API,
            {"email": "API.Person@Example.com", "role": "auditor", "reason": "audit season"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "api.person@example.com"
    assert body["role"] == "auditor"
    assert body["status"] == "pending"
    assert body["invited_by"] == "demo-admin"
    assert "digest" not in body
    assert "token" not in body
    (message,) = mail.wait_for("api.person@example.com")
    assert link_in(message).startswith("/accounts/invitations/")
    listed = client.get(API).json()
    assert [row["email"] for row in listed] == ["api.person@example.com"]
    assert records("invitation", "create")[0].reason == "audit season"


def test_the_api_resends_and_revokes(as_user, users, mail, committed):
    invitation, first = invited_link(users, mail, committed)
    client = as_user("admin")
    mail.clear()  # the new message alone: both may carry the same Date
    with committed():
        response = client.post(
            f"{API}{invitation.pk}/resend/", {"reason": "lost it"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["send_count"] == 2
    second = link_in(mail.wait_for(NEWCOMER)[0])
    assert second != first
    assert Client().get(first).status_code == 404
    response = client.delete(f"{API}{invitation.pk}/?reason=wrong+address")
    assert response.status_code == 204
    assert Client().get(second).status_code == 410
    assert client.get(API).json() == []
    assert records("invitation", "revoke")[0].reason == "wrong address"


# Expiry, resend, revoke -----------------------------------------------------------------


def test_a_link_expires_after_seven_days(users, mail, committed, monkeypatch):
    invitation, link = invited_link(users, mail, committed)
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert Client().get(link).status_code == 200
    later = timezone.now() + timedelta(days=7, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = Client().get(link)
    assert page.status_code == 410
    assert b"expired" in page.content
    assert b"demo-admin" in page.content
    _, response = sign_up(link)
    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_invitation_days_sets_the_expiry(users, settings):
    settings.INVITATION_DAYS = 2
    invitation = invite(users)
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_a_resend_from_the_page_kills_the_old_link_and_sends_a_new_one(
    as_user, users, mail, committed
):
    invitation, old = invited_link(users, mail, committed)
    mail.clear()  # the new message alone: both may carry the same Date
    with committed():
        response = as_user("admin").post(f"{INVITE}{invitation.pk}/resend/")
    assert response.status_code == 302
    new = link_in(mail.wait_for(NEWCOMER)[0])
    assert new != old
    gone = Client().get(old)
    assert gone.status_code == 404
    assert NEWCOMER.encode() not in gone.content  # an unknown link names nothing
    assert Client().get(new).status_code == 200


def test_a_resent_expired_invitation_works_for_seven_more_days(users, mail, committed):
    invitation, _ = invited_link(users, mail, committed)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    mail.clear()  # the new message alone: both may carry the same Date
    with committed():
        invitation_resend(actor=users["admin"], invitation=invitation, base_url=BASE)
    link = link_in(mail.wait_for(NEWCOMER)[0])
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    _, response = sign_up(link)
    assert response.status_code == 302


def test_revoking_on_the_page_asks_first_then_kills_the_link(as_user, users, mail, committed):
    invitation, link = invited_link(users, mail, committed)
    client = as_user("admin")
    asked = client.post(f"{INVITE}{invitation.pk}/revoke/")
    assert asked.status_code == 200
    assert b"Revoke the invitation?" in asked.content
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    no_reason = client.post(f"{INVITE}{invitation.pk}/revoke/", {"confirmed": "on"})
    assert no_reason.status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    done = client.post(
        f"{INVITE}{invitation.pk}/revoke/", {"confirmed": "on", "reason": "wrong person"}
    )
    assert done.status_code == 302
    page = Client().get(link)
    assert page.status_code == 410
    assert b"withdrawn" in page.content
    _, response = sign_up(link)
    assert response.status_code == 410


def test_the_access_page_lists_pending_invitations_with_resend_and_revoke(as_user, users):
    invitation = invite(users)
    page = as_user("admin").get("/providers/singlestore/access/").content.decode()
    assert "Pending invitations" in page
    assert NEWCOMER in page
    assert f"/invitations/{invitation.pk}/resend/" in page
    assert f"/invitations/{invitation.pk}/revoke/" in page
    assert 'name="email"' in page  # the invite form


def test_an_unknown_link_is_404(client):
    response = client.get("/accounts/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert b"not valid" in response.content


# Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "editor", "approver", "auditor"])
def test_members_without_the_admin_role_may_not_invite(as_user, users, who, mail, committed):
    client = as_user(who)
    before = state()
    with committed():
        assert invite_on_page(client).status_code == 403
        body = {"email": NEWCOMER, "role": "viewer"}
        api = client.post(API, body, content_type="application/json")
        assert api.status_code == 403
    assert state() == before
    assert mail.messages() == []


def test_outsiders_of_a_private_provider_get_404(as_user, users):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    invitation = invite(users)
    client = as_user("outsider")
    before = state()
    assert invite_on_page(client).status_code == 404
    assert client.post(f"{INVITE}{invitation.pk}/resend/").status_code == 404
    assert client.get(API).status_code == 404
    assert client.delete(f"{API}{invitation.pk}/").status_code == 404
    assert state() == before


def test_another_providers_invitation_is_404_to_this_providers_admin(as_user, users):
    clickhouse = Provider.objects.get(slug="clickhouse")
    other = invitation_create(
        actor=None, provider=clickhouse, email=NEWCOMER, role=Role.VIEWER, base_url=BASE
    )
    client = as_user("admin")
    before = state()
    assert client.post(f"{INVITE}{other.pk}/resend/").status_code == 404
    assert (
        client.post(f"{INVITE}{other.pk}/revoke/", {"confirmed": "on", "reason": "x"}).status_code
        == 404
    )
    assert client.delete(f"{API}{other.pk}/").status_code == 404
    assert state() == before


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not-an-address", "viewer", "valid email address"),
        (NEWCOMER, "overlord", "not one of the available choices"),
    ],
)
def test_bad_input_on_the_page_is_refused_and_nothing_is_written(
    as_user, users, mail, committed, email, role, message
):
    client = as_user("admin")
    before = state()
    with committed():
        response = invite_on_page(client, email=email, role=role)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state() == before
    assert mail.messages() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "nope", "role": "viewer"}, "email"), ({"email": NEWCOMER, "role": "x"}, "role")],
)
def test_bad_input_on_the_api_is_refused_and_nothing_is_written(as_user, users, body, field):
    client = as_user("admin")
    before = state()
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert state() == before


def test_an_address_that_already_holds_a_role_is_refused(as_user, users, mail, committed):
    editor = users["editor"]
    editor.email = "editor@example.com"
    editor.save()
    client = as_user("admin")
    before = state()
    with committed():
        response = invite_on_page(client, email="Editor@Example.com")
    assert response.status_code == 400
    assert "already a member of SingleStore" in response.content.decode()
    assert state() == before
    assert mail.messages() == []
    api = client.post(
        API, {"email": "editor@example.com", "role": "viewer"}, content_type="application/json"
    )
    assert api.status_code == 400
    assert "already a member" in json.dumps(api.json())


def test_a_second_invitation_to_a_pending_address_is_refused(as_user, users):
    invite(users)
    client = as_user("admin")
    before = state()
    response = invite_on_page(client, role="viewer")
    assert response.status_code == 400
    assert "already has a pending invitation" in response.content.decode()
    assert state() == before


def test_a_weak_password_is_refused_and_the_invitation_stays_open(users, mail, committed):
    invitation, link = invited_link(users, mail, committed)
    _, response = sign_up(link, password="12345678")
    assert response.status_code == 400
    assert b"too common" in response.content
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_taken_username_is_refused(users, mail, committed):
    _, link = invited_link(users, mail, committed)
    _, response = sign_up(link, username="demo-viewer")
    assert response.status_code == 400
    assert b"username is taken" in response.content


def test_an_invitation_from_someone_no_longer_admin_cannot_be_accepted(users, mail, committed):
    invitation, link = invited_link(users, mail, committed)
    provider = Provider.objects.get(slug="singlestore")
    role_set(actor=None, provider=provider, principal=users["outsider"], role=Role.ADMIN)
    role_set(actor=None, provider=provider, principal=users["admin"], role=Role.VIEWER)
    page = Client().get(link)
    assert page.status_code == 410
    assert b"no longer manages access" in page.content
    _, response = sign_up(link)
    assert response.status_code == 410
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


# Existing accounts ----------------------------------------------------------------------


def test_an_existing_account_signs_in_then_accepts(users, mail, committed):
    owner = get_user_model().objects.create_user("known", NEWCOMER, PASSWORD)
    invitation, link = invited_link(users, mail, committed)
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert b"Sign in to accept" in page.content
    assert b'name="password1"' not in page.content
    assert sign_up(link)[1].status_code == 200  # no account made for a known address
    visitor.force_login(owner)
    response = visitor.post(link)
    assert response.status_code == 302
    assert principal_roles(invitation.provider, owner) == {Role.EDITOR}
    assert EmailAddress.objects.filter(user=owner, email=NEWCOMER, verified=True).exists()


def test_a_signed_in_user_with_another_address_must_confirm(users, mail, committed):
    invitation, link = invited_link(users, mail, committed)
    outsider = users["outsider"]
    client = Client()
    client.force_login(outsider)
    unconfirmed = client.post(link)
    assert unconfirmed.status_code == 400
    assert principal_roles(invitation.provider, outsider) == set()
    assert client.post(link, {"confirm": "on"}).status_code == 302
    assert principal_roles(invitation.provider, outsider) == {Role.EDITOR}
    assert EmailAddress.objects.filter(user=outsider, email=NEWCOMER, verified=True).exists()


def test_the_address_of_another_account_cannot_be_accepted_by_someone_else(users, mail, committed):
    get_user_model().objects.create_user("known", NEWCOMER, PASSWORD)
    invitation, link = invited_link(users, mail, committed)
    client = Client()
    client.force_login(users["outsider"])
    assert client.post(link, {"confirm": "on"}).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_member_with_another_role_is_not_changed_by_an_invitation(users, mail, committed):
    users["viewer"].email = NEWCOMER
    users["viewer"].save()
    invitation = invitation_create(
        actor=None,
        provider=Provider.objects.get(slug="clickhouse"),
        email=NEWCOMER,
        role=Role.ADMIN,
        base_url=BASE,
    )
    # Meanwhile they were given another role there directly.
    role_set(actor=None, provider=invitation.provider, principal=users["viewer"], role=Role.VIEWER)
    with pytest.raises(ValidationError, match="already hold the Viewer role"):
        invitation_accept(invitation=invitation, user=users["viewer"])
    assert principal_roles(invitation.provider, users["viewer"]) == {Role.VIEWER}


# The audit log --------------------------------------------------------------------------


def test_every_write_is_audited_and_no_record_holds_the_link(as_user, users, mail, committed):
    with committed():
        invite_on_page(as_user("admin"), reason="joins the team")
    first = link_in(mail.wait_for(NEWCOMER)[-1])
    invitation = Invitation.objects.get(email=NEWCOMER)
    mail.clear()  # the new message alone: both may carry the same Date
    with committed():
        as_user("admin").post(f"{INVITE}{invitation.pk}/resend/")
    link = link_in(mail.wait_for(NEWCOMER)[0])
    sign_up(link)
    other = invite(users, email="other@example.com")
    invitation_revoke(actor=users["admin"], invitation=other, reason="changed plans")

    created = records("invitation", "create")
    assert [r.object_label for r in created] == [  # newest first
        "other@example.com as Editor",
        "new.person@example.com as Editor",
    ]
    assert created[-1].reason == "joins the team"
    assert created[-1].actor_label == "demo-admin"
    resent = records("invitation", "resend")[0]
    assert resent.before["send_count"] == 1
    assert resent.after["send_count"] == 2
    accepted = records("invitation", "accept")[0]
    assert accepted.actor_label == "newcomer"
    assert accepted.after["accepted_by"] == "newcomer"
    revoked = records("invitation", "revoke")[0]
    assert revoked.reason == "changed plans"
    assert revoked.after["revoked_at"]
    # (The other accounts, made by the fixtures, are recorded by the safety net.)
    user_created = [r for r in records("user", "create") if r.object_label == "newcomer"]
    (user_created,) = user_created
    assert user_created.after == {"username": "newcomer", "email": NEWCOMER, "via": "invitation"}
    (grant,) = [r for r in records("role", "grant") if r.object_label == "newcomer (user)"]
    assert grant.after == {"role": "editor"}
    assert grant.provider.slug == "singlestore"
    assert grant.actor_label == "demo-admin"  # granted with the inviter's authority
    dump = json.dumps(
        list(AuditRecord.objects.values("before", "after", "reason", "object_label")),
        default=str,
    )
    for secret in (first, link):
        assert secret.rsplit("/", 2)[-2] not in dump


def test_an_unreachable_mail_server_is_logged_without_the_link(
    users, settings, committed, caplog, monkeypatch
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    monkeypatch.setattr("accounts.invitations.secrets.token_urlsafe", lambda n: "the-secret-x")
    with committed():
        invitation = invite(users)
    assert Invitation.objects.get(pk=invitation.pk).is_pending  # resend it once mail works
    (warning,) = [r for r in caplog.records if r.name == "accounts.invitations"]
    assert f"Invitation {invitation.pk} could not be emailed" in warning.getMessage()
    assert "the-secret-x" not in caplog.text
