"""Every way an account changes lands in the audit log: the People pages, allauth's own pages
(password, email addresses, second factors, sessions), API tokens, roles, sign-in and out,
and, through the safety net, a shell's direct writes to users and groups."""

from __future__ import annotations

from collections.abc import Callable

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import role_set
from audit.models import AuditRecord
from audit.services import audit_head_seq
from matrices.models import Provider
from tests.servers import Mailbox

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "pat-Pass-12345"
NEW_PASSWORD = "pat-New-Pass-67890"


@pytest.fixture
def pat(db):
    pat = User.objects.create_user("pat", "pat@example.com", PASSWORD)
    EmailAddress.objects.create(user=pat, email="pat@example.com", primary=True, verified=True)
    return pat


def sign_in(username: str, password: str) -> Client:
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def about(user, *actions: str, object_type: str = "user") -> Callable[[AuditRecord], bool]:
    """Records of ``actions`` on ``user`` (or on their email addresses, second factors...)."""

    pk, username = user.pk, user.username  # as they are now: a deleted user has no pk

    def match(record: AuditRecord) -> bool:
        if record.action not in actions or record.object_type != object_type:
            return False
        if object_type == "user":
            return record.object_id == str(pk)
        if object_type == "role":
            return record.object_id == f"user:{pk}"
        return record.object_label.endswith(f" of {username}") or record.actor_id == pk

    return match


class Paths:
    """Runs each write path and notes whether a new record matched it."""

    def __init__(self, capture) -> None:
        self.capture = capture
        self.missing: list[str] = []
        self.done: list[str] = []

    def check(self, name: str, do: Callable[[], object], expect: Callable) -> list[AuditRecord]:
        mark = audit_head_seq()
        # allauth announces some changes once its transaction commits: let them run.
        with self.capture(execute=True):
            do()
        new = list(AuditRecord.objects.filter(seq__gt=mark).order_by("seq"))
        found = [record for record in new if expect(record)]
        (self.done if found else self.missing).append(name)
        return found


def test_every_account_write_path_is_audited(pat, mail, django_capture_on_commit_callbacks):
    paths = Paths(django_capture_on_commit_callbacks)
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    admin = sign_in("root", PASSWORD)

    # Signing in with a password: the record says how.
    browser: Client | None = None

    def password_sign_in():
        nonlocal browser
        browser = sign_in("pat", PASSWORD)

    (record,) = paths.check("sign-in (password)", password_sign_in, about(pat, "sign-in"))
    assert record.after == {"methods": ["password"]}

    paths.check(
        "password change (allauth)",
        lambda: browser.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ),
        about(pat, "update"),
    )
    paths.check(
        "email address added (allauth)",
        lambda: browser.post(reverse("account_email"), {"action_add": "", "email": "p@ex.org"}),
        about(pat, "create", object_type="email-address"),
    )
    EmailAddress.objects.filter(email="p@ex.org").update(verified=True)
    paths.check(
        "primary email address changed (allauth)",
        lambda: browser.post(reverse("account_email"), {"action_primary": "", "email": "p@ex.org"}),
        about(pat, "update", object_type="email-address"),
    )
    paths.check(
        "email address removed (allauth)",
        lambda: browser.post(
            reverse("account_email"), {"action_remove": "", "email": "pat@example.com"}
        ),
        about(pat, "delete", object_type="email-address"),
    )

    def totp_activate():
        # Changing the password ended the recent authentication: allauth asks again.
        browser.post(reverse("account_reauthenticate"), {"password": NEW_PASSWORD})
        page = browser.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200, (page.status_code, page.get("Location"))
        secret = browser.session["mfa.totp.secret"]
        response = browser.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302, response.content.decode()[:800]

    found = paths.check(
        "TOTP activated (allauth.mfa)",
        totp_activate,
        about(pat, "create", object_type="authenticator"),
    )
    assert {record.after["type"] for record in found} == {"totp", "recovery_codes"}
    paths.check(
        "recovery codes regenerated (allauth.mfa)",
        lambda: browser.post(reverse("mfa_generate_recovery_codes")),
        about(pat, "update", object_type="authenticator"),
    )
    paths.check(
        "sign-out",
        lambda: browser.post(reverse("account_logout")),
        about(pat, "sign-out"),
    )

    def wrong_second_factor():
        nonlocal browser
        browser = Client()
        browser.post(reverse("account_login"), {"login": "pat", "password": NEW_PASSWORD})
        browser.post(reverse("mfa_authenticate"), {"code": "000000"})

    paths.check(
        "wrong second factor (allauth.mfa)", wrong_second_factor, about(pat, "failed-sign-in")
    )

    def mfa_sign_in():
        codes = RecoveryCodes(
            Authenticator.objects.get(user=pat, type="recovery_codes")
        ).get_unused_codes()
        response = browser.post(reverse("mfa_authenticate"), {"code": codes[0]})
        assert response.status_code == 302, response.content.decode()[:800]

    (record,) = paths.check("sign-in (password and MFA)", mfa_sign_in, about(pat, "sign-in"))
    assert record.after == {"methods": ["password", "mfa:recovery_codes"]}

    def totp_deactivate():
        browser.post(reverse("account_reauthenticate"), {"password": NEW_PASSWORD})
        response = browser.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302, response.content.decode()[:3000]
        assert "reauthenticate" not in response["Location"], response["Location"]

    paths.check(
        "TOTP deactivated (allauth.mfa)",
        totp_deactivate,
        about(pat, "delete", object_type="authenticator"),
    )

    other_browser = Client()

    def end_other_sessions():
        other_browser.post(reverse("account_login"), {"login": "pat", "password": NEW_PASSWORD})
        assert other_browser.get(reverse("account_email")).status_code == 200
        browser.post(reverse("usersessions_list"))
        assert other_browser.get(reverse("account_email")).status_code == 302  # signed out

    (record,) = paths.check(
        "other sessions ended (allauth.usersessions)",
        end_other_sessions,
        about(pat, "end-sessions"),
    )
    assert (record.before, record.after) == ({"sessions": 2}, {"sessions": 1})

    paths.check(
        "API token created",
        lambda: browser.post(reverse("accounts:api_tokens"), {"do": "create", "name": "ci"}),
        lambda r: r.object_type == "api-token" and r.action == "create" and r.actor_id == pat.pk,
    )
    paths.check(
        "API token revoked",
        lambda: browser.post(
            reverse("accounts:api_tokens"),
            {"do": "revoke", "token": ApiToken.objects.get(user=pat).pk},
        ),
        lambda r: r.object_type == "api-token" and r.action == "delete" and r.actor_id == pat.pk,
    )

    def password_reset_from_key():
        mail.clear()
        Client().post(reverse("account_reset_password"), {"email": "p@ex.org"})
        (message,) = mail.wait_for("p@ex.org")
        (link,) = [url for url in Mailbox.links(message) if "/password/reset/key/" in url]
        stranger = Client()
        form = stranger.get(link.removeprefix("http://testserver"), follow=True)
        response = stranger.post(
            form.redirect_chain[-1][0],
            {"password1": "pat-Reset-Pass-24680", "password2": "pat-Reset-Pass-24680"},
        )
        assert response.status_code == 302, response.content.decode()[:800]

    (record,) = paths.check(
        "password reset from an emailed key (allauth)",
        password_reset_from_key,
        about(pat, "update"),
    )
    assert record.reason == "Chose a new password from an emailed reset link."

    provider = Provider.objects.get(slug="singlestore")
    provider_admin = Client()
    provider_admin.force_login(User.objects.get(username="demo-admin"))
    access = reverse("matrices:access", args=[provider.slug])
    grant = {"principal_kind": "user", "principal": "pat", "reason": "t", "confirmed": "on"}
    paths.check(
        "role granted (Access page)",
        lambda: provider_admin.post(access, {**grant, "role": "viewer"}),
        about(pat, "grant", object_type="role"),
    )
    paths.check(
        "role revoked (Access page)",
        lambda: provider_admin.post(access, {**grant, "role": ""}),
        about(pat, "revoke", object_type="role"),
    )

    def people_page(action: str):
        def do():
            url = reverse("accounts:person_action", args=[pat.pk, action])
            response = admin.post(url, {"reason": f"Test {action}.", "confirmed": "on"})
            assert response.status_code == 302, response.content.decode()[:800]

        return do

    for action, audited_as in [
        ("reset-password", "update"),
        ("grant-superuser", "grant"),
        ("revoke-superuser", "revoke"),
        ("deactivate", "update"),
        ("reactivate", "update"),
    ]:
        (record,) = paths.check(f"People: {action}", people_page(action), about(pat, audited_as))
        assert record.reason == f"Test {action}."
        assert record.actor_id == root.pk

    paths.check(
        "People: create",
        lambda: admin.post(
            reverse("accounts:person_new"),
            {"username": "quinn", "email": "quinn@example.com", "reason": "Hired."},
        ),
        lambda r: r.object_type == "user" and r.action == "create" and r.object_label == "quinn",
    )

    def shell_save():
        pat.refresh_from_db()
        pat.first_name = "Patricia"
        pat.save()

    (record,) = paths.check("shell: user.save()", shell_save, about(pat, "update"))
    assert (record.before["first_name"], record.after["first_name"]) == ("", "Patricia")

    def shell_password():
        pat.set_password("pat-Shell-Pass-13579")
        pat.save()

    (record,) = paths.check("shell: set_password()", shell_password, about(pat, "update"))
    assert "password" in record.changed_fields
    assert "md5$" not in str(record.after)

    def shell_superuser():
        pat.is_superuser = True
        pat.save()

    paths.check("shell: make a superuser", shell_superuser, about(pat, "update"))
    auditors = Group.objects.create(name="auditors-placeholder")
    paths.check(
        "shell: group created",
        lambda: Group.objects.create(name="auditors"),
        lambda r: r.object_type == "group" and r.action == "create",
    )
    paths.check(
        "shell: added to a group",
        lambda: pat.groups.add(auditors),
        about(pat, "grant"),
    )
    paths.check(
        "shell: group members added from the group's side",
        lambda: auditors.user_set.add(root),
        about(root, "grant"),
    )
    paths.check(
        "shell: removed from a group",
        lambda: pat.groups.remove(auditors),
        about(pat, "revoke"),
    )
    paths.check(
        "shell: groups cleared",
        lambda: root.groups.clear(),
        about(root, "revoke"),
    )

    def rename():
        auditors.name = "external-auditors"
        auditors.save()

    paths.check(
        "shell: group renamed", rename, lambda r: r.object_type == "group" and r.action == "update"
    )
    role_set(actor=None, provider=provider, principal=auditors, role=Role.AUDITOR)
    (record,) = paths.check(
        "shell: group deleted",
        auditors.delete,
        lambda r: r.object_type == "group" and r.action == "delete",
    )
    assert record.before["roles"] == ["auditor on SingleStore"]
    paths.check("shell: user deleted", pat.delete, about(pat, "delete"))

    assert paths.missing == [], f"no audit record for: {paths.missing}"


def test_a_services_change_is_recorded_once(users):
    from accounts.people import superuser_grant

    mark = audit_head_seq()
    superuser_grant(actor=users["superuser"], user=users["viewer"], reason="On call.")
    records = AuditRecord.objects.filter(seq__gt=mark, object_type="user")
    assert [(r.action, r.reason) for r in records] == [("grant", "On call.")]


def test_signing_in_records_no_user_update_for_last_login(users):
    mark = audit_head_seq()
    sign_in("outsider", "x-Pass-12345")
    records = AuditRecord.objects.filter(seq__gt=mark)
    assert [r.action for r in records] == ["sign-in"]


def test_an_unchanged_save_records_nothing(users):
    mark = audit_head_seq()
    users["viewer"].save()
    assert audit_head_seq() == mark


def test_a_shell_created_user_is_recorded_without_its_password_hash(db):
    mark = audit_head_seq()
    user = User.objects.create_user("sam", "sam@example.com", "sam-Pass-12345")
    (record,) = AuditRecord.objects.filter(seq__gt=mark)
    assert (record.action, record.object_id) == ("create", str(user.pk))
    assert record.after["has_usable_password"] is True
    assert user.password not in str(record.after)
