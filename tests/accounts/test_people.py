"""Account administration on the People pages: site administrators only, every action with a
reason and a confirmation step, audited with before and after; nobody locks the site out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.people import superuser_revoke, user_deactivate
from accounts.tokens import token_create
from audit.models import AuditRecord
from matrices.demo.accounts import DEMO_PASSWORD
from tests.factories import state
from tests.servers import Mailbox

pytestmark = pytest.mark.django_db

User = get_user_model()


def people_state() -> dict:
    """What a refused account change must leave as it was (staff status too)."""
    return {**state(), "staff": list(User.objects.filter(is_staff=True).values_list("pk"))}


def act(client, user, action: str, reason: str = "Left the company.") -> object:
    """Both steps of an action on the person page: review, then confirm."""
    url = f"/people/{user.pk}/{action}/"
    review = client.post(url, {"reason": reason})
    assert review.status_code == 200, review.content.decode()[:2000]
    assert "Confirm" in review.content.decode()
    return client.post(url, {"reason": reason, "confirmed": "on"})


def signed_in(user, password: str = "x-Pass-12345") -> Client:  # noqa: S107 - the fixtures' test password
    """A browser signed in through allauth's sign-in page (which opens a user session)."""
    browser = Client()
    response = browser.post("/accounts/login/", {"login": user.username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def last_user_record(user) -> AuditRecord:
    return AuditRecord.objects.filter(object_type="user", object_id=str(user.pk)).latest("seq")


def test_the_list_shows_each_account_with_its_standing(as_user, users):
    html = as_user("superuser").get("/people/").content.decode()
    for key in ("viewer", "editor", "outsider", "superuser"):
        assert f'href="/people/{users[key].pk}/"' in html
    row = html.split(f'href="/people/{users["editor"].pk}/"')[1].split("</tr>")[0]
    assert 'data-label="Roles">1<' in row
    assert 'data-label="MFA"><span class="muted">none' in row


def test_the_list_searches_and_filters(as_user, users):
    users["viewer"].is_active = False
    users["viewer"].save()
    client = as_user("superuser")
    html = client.get("/people/?q=outsid").content.decode()
    assert f"/people/{users['outsider'].pk}/" in html
    assert f"/people/{users['editor'].pk}/" not in html
    inactive = client.get("/people/?active=no").content.decode()
    assert f"/people/{users['viewer'].pk}/" in inactive
    assert f"/people/{users['editor'].pk}/" not in inactive
    supers = client.get("/people/?superuser=yes").content.decode()
    assert f"/people/{users['superuser'].pk}/" in supers
    assert f"/people/{users['editor'].pk}/" not in supers


def test_a_bad_filter_is_a_400_not_a_500(as_user):
    assert as_user("superuser").get("/people/?active=maybe").status_code == 400


def test_the_person_page_shows_roles_sessions_tokens_and_history(as_user, users):
    User.objects.filter(pk=users["editor"].pk).update(email="editor@example.com")
    token_create(user=users["editor"], name="nightly export")
    signed_in(users["editor"], DEMO_PASSWORD)
    html = as_user("superuser").get(f"/people/{users['editor'].pk}/").content.decode()
    assert "SingleStore" in html
    assert "Editor" in html
    assert "nightly export" in html
    assert "<dt>Open sessions</dt><dd>1</dd>" in html
    assert "API token" in html  # the token's creation, among the recent records
    for action in ("deactivate", "grant-superuser", "reset-password"):
        assert f"/people/{users['editor'].pk}/{action}/" in html
    assert f"/people/{users['editor'].pk}/reactivate/" not in html


def test_creating_an_account_sends_a_link_to_choose_a_password(
    as_user, mail, django_capture_on_commit_callbacks
):
    client = as_user("superuser")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/people/new/",
            {
                "username": "Dana",
                "email": "dana@example.com",
                "first_name": "Dana",
                "last_name": "Scully",
                "reason": "Joined the compliance team.",
            },
        )
    dana = User.objects.get(username="dana")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{dana.pk}/"
    assert dana.is_active
    assert not dana.has_usable_password()
    record = last_user_record(dana)
    assert (record.action, record.actor_label, record.reason) == (
        "create",
        "root",
        "Joined the compliance team.",
    )
    assert record.after["email"] == "dana@example.com"
    assert record.after["has_usable_password"] is False
    assert "password" not in str(record.after).replace("has_usable_password", "")
    (message,) = mail.wait_for("dana@example.com")
    (link,) = [url for url in Mailbox.links(message) if "/password/reset/key/" in url]
    stranger = Client()
    form = stranger.get(link.removeprefix("http://testserver"), follow=True)
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = stranger.post(
        action.removeprefix("http://testserver"),
        {"password1": "a-New-Pass-4242", "password2": "a-New-Pass-4242"},
    )
    assert done.status_code == 302
    dana.refresh_from_db()
    assert dana.check_password("a-New-Pass-4242")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "outsider", "email": "new@example.com"}, "username"),
        ({"username": "new-one", "email": "root@example.com"}, "email"),
        ({"username": "new one!", "email": "new@example.com"}, "username"),
        ({"username": "new-one", "email": "not-an-address"}, "email"),
        ({"username": "new-one", "email": "new@example.com", "reason": ""}, "reason"),
    ],
)
def test_creating_refuses_bad_or_taken_names_and_a_missing_reason(as_user, data, field):
    client = as_user("superuser")
    before = people_state()
    response = client.post("/people/new/", {"reason": "Hired.", **data})
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert people_state() == before


@pytest.mark.parametrize(
    ("action", "prepare", "field", "was", "now", "audited_as"),
    [
        ("deactivate", None, "is_active", True, False, "update"),
        ("reactivate", "deactivated", "is_active", False, True, "update"),
        ("grant-superuser", None, "is_superuser", False, True, "grant"),
        ("revoke-superuser", "superuser", "is_superuser", True, False, "revoke"),
        ("reset-password", None, "has_usable_password", True, False, "update"),
    ],
)
def test_each_action_changes_the_account_and_is_audited_with_its_reason(
    as_user, users, action, prepare, field, was, now, audited_as
):
    person = users["editor"]
    User.objects.filter(pk=person.pk).update(email="editor@example.com")
    if prepare == "deactivated":
        User.objects.filter(pk=person.pk).update(is_active=False)
    elif prepare == "superuser":
        User.objects.filter(pk=person.pk).update(is_superuser=True, is_staff=True)
    response = act(as_user("superuser"), person, action, "Asked by the CISO.")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    person = User.objects.get(pk=person.pk)
    value = (
        person.has_usable_password() if field == "has_usable_password" else getattr(person, field)
    )
    assert value is now
    record = last_user_record(person)
    assert (record.action, record.actor_label, record.reason) == (
        audited_as,
        "root",
        "Asked by the CISO.",
    )
    assert (record.before[field], record.after[field]) == (was, now)
    assert field in record.changed_fields


def test_reviewing_an_action_changes_nothing_until_confirmed(as_user, users):
    client = as_user("superuser")
    before = people_state()
    response = client.post(f"/people/{users['editor'].pk}/deactivate/", {"reason": "Left."})
    assert response.status_code == 200
    assert 'name="confirmed" value="on"' in response.content.decode()
    assert people_state() == before


def test_an_action_without_a_reason_is_refused(as_user, users):
    client = as_user("superuser")
    before = people_state()
    url = f"/people/{users['editor'].pk}/deactivate/"
    response = client.post(url, {"reason": "  ", "confirmed": "on"})
    assert response.status_code == 400
    assert people_state() == before


def test_an_unknown_action_or_person_is_404(as_user, users):
    client = as_user("superuser")
    assert client.post(f"/people/{users['editor'].pk}/delete/", {"reason": "x"}).status_code == 404
    assert client.get("/people/999999/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "outsider", "editor", "admin", "auditor"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/people/"),
        ("get", "/people/new/"),
        ("post", "/people/new/"),
        ("get", "/people/{pk}/"),
        ("post", "/people/{pk}/deactivate/"),
        ("post", "/people/{pk}/grant-superuser/"),
        ("post", "/people/{pk}/reset-password/"),
    ],
)
def test_only_site_administrators_administer_accounts(as_user, users, who, method, path):
    client = as_user(None if who == "anonymous" else who)
    target = users["viewer"] if who != "editor" else users["editor"]
    before = people_state()
    data = {"username": "sneaky", "email": "s@example.com", "reason": "x", "confirmed": "on"}
    response = getattr(client, method)(path.format(pk=target.pk), data)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
    assert people_state() == before


def test_nobody_deactivates_themselves(as_user, users):
    User.objects.create_superuser("second-root", "r2@example.com", "x-Pass-12345")
    client = as_user("superuser")
    before = people_state()
    response = client.post(
        f"/people/{users['superuser'].pk}/deactivate/", {"reason": "Oops.", "confirmed": "on"}
    )
    assert response.status_code == 400
    assert "cannot deactivate your own account" in response.content.decode()
    assert people_state() == before


def test_nobody_revokes_their_own_superuser_status(as_user, users):
    User.objects.create_superuser("second-root", "r2@example.com", "x-Pass-12345")
    client = as_user("superuser")
    before = people_state()
    response = client.post(
        f"/people/{users['superuser'].pk}/revoke-superuser/", {"reason": "x", "confirmed": "on"}
    )
    assert response.status_code == 400
    assert people_state() == before


@pytest.mark.parametrize("service", [user_deactivate, superuser_revoke])
def test_the_last_active_superuser_stays(users, service):
    """Through the pages a superuser could only reach the last one by acting on themselves
    (refused above); a command (the system, actor None) meets this guard."""
    User.objects.filter(is_superuser=True).exclude(pk=users["superuser"].pk).update(is_active=False)
    before = people_state()
    with pytest.raises(ValidationError, match="last active superuser"):
        service(actor=None, user=users["superuser"], reason="Tidying up.")
    assert people_state() == before


def test_another_superuser_can_be_removed_while_one_remains(users):
    other = User.objects.create_superuser("second-root", "r2@example.com", "x-Pass-12345")
    superuser_revoke(actor=users["superuser"], user=other, reason="Role change.")
    other.refresh_from_db()
    assert not other.is_superuser
    assert not other.is_staff


def test_deactivating_signs_the_person_out_and_revokes_their_tokens(as_user, users):
    person = users["outsider"]
    browser = signed_in(person)
    assert browser.get("/accounts/email/").status_code == 200
    token, secret = token_create(user=person, name="ci")
    api = Client()
    assert (
        api.get("/api/v1/providers/", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    response = act(as_user("superuser"), person, "deactivate")
    assert response.status_code == 302
    # The browser signed in as them is signed out on its next request.
    after = browser.get("/accounts/email/")
    assert after.status_code == 302
    assert after["Location"].startswith("/accounts/login/")
    assert (
        api.get("/api/v1/providers/", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    revoked = AuditRecord.objects.get(object_type="api-token", action="delete", object_id=token.pk)
    assert revoked.actor_id == users["superuser"].pk  # who deactivated them, not the person
    record = last_user_record(person)
    assert record.before["sessions"] == 1
    assert record.before["api_tokens"] == [token.prefix]
    assert record.after["api_tokens"] == []
    assert signed_in_fails(person)


def signed_in_fails(user, password: str = "x-Pass-12345") -> bool:  # noqa: S107 - as above
    browser = Client()
    browser.post("/accounts/login/", {"login": user.username, "password": password})
    return "_auth_user_id" not in browser.session


def test_a_forced_reset_signs_the_person_out_and_mails_them_a_link(
    as_user, users, mail, django_capture_on_commit_callbacks
):
    person = users["outsider"]
    person.email = "outsider@example.com"
    person.save()
    browser = signed_in(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_user("superuser"), person, "reset-password", "Laptop stolen.")
    assert response.status_code == 302
    assert browser.get("/accounts/email/").status_code == 302
    assert signed_in_fails(person)
    (message,) = mail.wait_for("outsider@example.com")
    assert any("/password/reset/key/" in url for url in Mailbox.links(message))
    record = last_user_record(person)
    assert (record.before["password"], record.after["password"]) == ("previous", "unusable")
    assert record.reason == "Laptop stolen."


def test_the_people_link_is_in_the_header_for_superusers_only(as_user):
    assert 'href="/people/"' in as_user("superuser").get("/").content.decode()
    assert 'href="/people/"' not in as_user("admin").get("/").content.decode()


def test_a_forced_reset_needs_an_email_address_for_the_link(as_user, users):
    client = as_user("superuser")
    before = people_state()
    response = client.post(
        f"/people/{users['viewer'].pk}/reset-password/", {"reason": "x", "confirmed": "on"}
    )
    assert response.status_code == 400
    assert "has no email address" in response.content.decode()
    assert people_state() == before
