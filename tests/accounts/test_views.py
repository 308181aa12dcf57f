"""Signing in and out: session rotation, lock-out per username and IP, all audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditRecord

pytestmark = pytest.mark.django_db


LOGIN = "/accounts/login/"


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="correct-Horse-42")


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)


def test_it_signs_in_with_the_right_password_and_rotates_the_session_key(client, alice):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = sign_in(client, "alice", "correct-Horse-42")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.session.session_key != before


def test_it_refuses_a_wrong_password_with_a_message(client, alice):
    response = sign_in(client, "alice", "wrong")
    assert response.status_code == 200
    assert "username and/or password you specified are not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_a_username_and_ip_after_five_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong")
    response = sign_in(client, "alice", "correct-Horse-42")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lock_out_does_not_lock_the_same_user_from_another_address(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong", ip="10.0.0.1")
    assert sign_in(client, "alice", "correct-Horse-42", ip="10.0.0.2").status_code == 302


def test_a_lock_out_does_not_lock_other_users_behind_the_same_proxy(client, alice, settings):
    get_user_model().objects.create_user("bob", password="correct-Horse-43")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong", ip="10.0.0.1")
    assert sign_in(client, "bob", "correct-Horse-43", ip="10.0.0.1").status_code == 302


def test_sign_in_failure_and_lock_out_are_in_the_audit_log(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong", ip="10.0.0.9")
    sign_in(client, "bob", "nope")
    client2 = type(client)()
    sign_in(client2, "alice", "correct-Horse-42", ip="10.0.0.8")
    records = AuditRecord.objects.filter(object_type="user").order_by("seq")
    actions = [r.action for r in records]
    assert actions.count("failed-sign-in") == settings.AXES_FAILURE_LIMIT + 1
    assert "lock-out" in actions
    sign_in_record = records.filter(action="sign-in").get()
    assert sign_in_record.actor_id == alice.pk
    assert sign_in_record.ip == "10.0.0.8"
    failed = records.filter(action="failed-sign-in").first()
    assert failed.ip == "10.0.0.9"
    assert failed.object_label == "alice"


def test_sign_out_is_a_post_and_is_audited(client, alice):
    client.force_login(alice)
    confirm = client.get(reverse("accounts:logout"))
    assert confirm.status_code == 200  # a page asking to confirm; signs nobody out
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.post(reverse("accounts:logout")).status_code == 302
    record = AuditRecord.objects.order_by("-seq").first()
    assert (record.action, record.actor_id, record.object_label) == ("sign-out", alice.pk, "alice")


def test_password_validators_are_on(settings):
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= set(names)
