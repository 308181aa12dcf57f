"""The Django admin shows accounts but changes none: every account write goes through the
audited People pages and allauth's own pages."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from audit.services import audit_head_seq

pytestmark = pytest.mark.django_db

User = get_user_model()


def accounts_state() -> tuple:
    return (
        list(User.objects.order_by("pk").values_list()),
        list(Group.objects.order_by("pk").values_list()),
        list(User.groups.through.objects.order_by("pk").values_list()),
        list(EmailAddress.objects.order_by("pk").values_list()),
        audit_head_seq(),
    )


@pytest.fixture
def staff_client(client, users):
    client.force_login(users["superuser"])
    return client


def test_the_admin_lists_and_shows_users_and_groups(staff_client, users):
    Group.objects.create(name="auditors")
    assert staff_client.get("/admin/auth/user/").status_code == 200
    assert staff_client.get(f"/admin/auth/user/{users['viewer'].pk}/change/").status_code == 200
    assert staff_client.get("/admin/auth/group/").status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/admin/auth/user/add/",
            {"username": "sneaky", "password1": "a-B-c-1234567", "password2": "a-B-c-1234567"},
        ),
        (
            "/admin/auth/user/{viewer}/change/",
            {"username": "demo-viewer", "is_superuser": "on", "is_active": "on"},
        ),
        ("/admin/auth/user/{viewer}/delete/", {"post": "yes"}),
        (
            "/admin/auth/user/{viewer}/password/",
            {"password1": "a-B-c-1234567", "password2": "a-B-c-1234567"},
        ),
        ("/admin/auth/group/add/", {"name": "sneaky"}),
        ("/admin/auth/group/{group}/change/", {"name": "renamed"}),
        ("/admin/auth/group/{group}/delete/", {"post": "yes"}),
        (
            "/admin/account/emailaddress/{email}/change/",
            {"email": "x@example.com", "verified": "on"},
        ),
        (
            "/admin/account/emailaddress/",
            {"action": "make_verified", "_selected_action": ["{email}"]},
        ),
        (
            "/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": ["{viewer}"], "post": "yes"},
        ),
    ],
)
def test_the_admin_refuses_every_account_write(staff_client, users, path, data):
    group = Group.objects.create(name="auditors")
    email = EmailAddress.objects.create(user=users["viewer"], email="v@example.com")
    ids = {"viewer": users["viewer"].pk, "group": group.pk, "email": email.pk}
    before = accounts_state()
    data = {
        key: [v.format(**ids) for v in value] if isinstance(value, list) else value
        for key, value in data.items()
    }
    response = staff_client.post(path.format(**ids), data)
    assert response.status_code in (403, 302, 200)
    if response.status_code == 302:
        # A changelist action that is not offered goes back to the list, having done nothing.
        assert "/change/" not in response["Location"]
    assert accounts_state() == before
