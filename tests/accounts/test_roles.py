"""Roles on providers: what each allows, grants through groups, and their audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import can, forget_roles
from accounts.roles import ROLE_ACTIONS, Action, Role
from accounts.services import role_set
from audit.models import AuditRecord
from matrices.models import Provider

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_each_role_allows_exactly_its_actions_on_its_provider(users, elsewhere, role, action):
    singlestore = Provider.objects.get(slug="singlestore")
    user = users[role.value]
    assert can(user, singlestore, action) is (action in ROLE_ACTIONS[role])
    # A role on one provider gives nothing beyond public viewing on another.
    assert can(user, elsewhere, action) is (action == Action.VIEW)


def test_a_role_can_be_held_through_a_group(users):
    singlestore = Provider.objects.get(slug="singlestore")
    outsider = users["outsider"]
    group = Group.objects.create(name="compliance-team")
    outsider.groups.add(group)
    assert not can(outsider, singlestore, Action.EDIT)
    role_set(
        actor=users["admin"], provider=singlestore, principal=group, role=Role.EDITOR, reason="team"
    )
    forget_roles(outsider)
    assert can(outsider, singlestore, Action.EDIT)
    assert Provider.objects.restrict(outsider, Action.EDIT).filter(pk=singlestore.pk).exists()


def test_an_inactive_user_may_do_nothing(users):
    editor = users["editor"]
    editor.is_active = False
    editor.save()
    assert not can(editor, Provider.objects.get(slug="singlestore"), Action.EDIT)


def test_restrict_returns_only_providers_where_the_action_is_allowed(users):
    editable = Provider.objects.restrict(users["editor"], Action.EDIT)
    assert list(editable.values_list("slug", flat=True)) == ["singlestore"]
    assert Provider.objects.restrict(users["superuser"], Action.EDIT).count() == 4
    publishable = Provider.objects.restrict(users["approver"], Action.PUBLISH)
    assert publishable.count() == 4  # the demo approver reviews every demo provider
    assert not Provider.objects.restrict(users["outsider"], Action.EDIT).exists()


def test_grant_change_and_revoke_are_audited_with_the_reason(users):
    singlestore = Provider.objects.get(slug="singlestore")
    admin, outsider = users["admin"], users["outsider"]
    start = AuditRecord.objects.order_by("-seq").first().seq
    role_set(
        actor=admin,
        provider=singlestore,
        principal=outsider,
        role=Role.VIEWER,
        reason="new starter",
    )
    role_set(
        actor=admin, provider=singlestore, principal=outsider, role=Role.EDITOR, reason="promoted"
    )
    role_set(actor=admin, provider=singlestore, principal=outsider, role=None, reason="left")
    records = list(AuditRecord.objects.filter(seq__gt=start).order_by("seq"))
    assert [(r.action, r.before, r.after, r.reason) for r in records] == [
        ("grant", None, {"role": "viewer"}, "new starter"),
        ("revoke", {"role": "viewer"}, None, "promoted"),
        ("grant", {"role": "viewer"}, {"role": "editor"}, "promoted"),
        ("revoke", {"role": "editor"}, None, "left"),
    ]
    assert all(r.actor_id == admin.pk and r.provider_id == singlestore.pk for r in records)
    assert records[0].object_id == f"user:{outsider.pk}"


def test_the_last_provider_admin_cannot_be_removed(users):
    singlestore = Provider.objects.get(slug="singlestore")
    admin = users["admin"]
    with pytest.raises(ValidationError, match="last provider admin"):
        role_set(actor=admin, provider=singlestore, principal=admin, role=Role.EDITOR)
    forget_roles(admin)
    assert can(admin, singlestore, Action.MANAGE_ACCESS)


def test_an_admin_can_step_down_once_there_is_another(users):
    singlestore = Provider.objects.get(slug="singlestore")
    admin, outsider = users["admin"], users["outsider"]
    role_set(actor=admin, provider=singlestore, principal=outsider, role=Role.ADMIN)
    role_set(actor=admin, provider=singlestore, principal=admin, role=Role.VIEWER)
    forget_roles(admin)
    assert not can(admin, singlestore, Action.MANAGE_ACCESS)


def test_only_those_who_manage_access_may_grant(users):
    singlestore = Provider.objects.get(slug="singlestore")
    with pytest.raises(PermissionDenied):
        role_set(
            actor=users["editor"],
            provider=singlestore,
            principal=users["outsider"],
            role=Role.ADMIN,
        )


def test_demo_accounts_are_never_created_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    from matrices.demo.accounts import demo_accounts_create

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo_accounts_create()


def test_loaddemo_created_one_demo_account_per_role():
    names = set(
        get_user_model()
        .objects.filter(username__startswith="demo-")
        .values_list("username", flat=True)
    )
    assert names == {f"demo-{role.value}" for role in Role}


def test_a_provider_admin_sets_the_visibility_and_it_is_audited(as_user, users):
    provider = Provider.objects.get(slug="singlestore")
    response = as_user("admin").post(
        "/providers/singlestore/visibility/",
        {"visibility": "private", "version": provider.version, "reason": "under NDA"},
    )
    assert response.status_code == 302
    assert Provider.objects.get(pk=provider.pk).visibility == "private"
    record = AuditRecord.objects.filter(object_type="provider", action="update").latest("seq")
    assert record.changed_fields == ["visibility"]
    assert record.reason == "under NDA"


def test_an_editor_cannot_change_the_visibility(as_user):
    provider = Provider.objects.get(slug="singlestore")
    response = as_user("editor").post(
        "/providers/singlestore/visibility/", {"visibility": "private", "version": provider.version}
    )
    assert response.status_code == 403
    assert Provider.objects.get(pk=provider.pk).visibility == "public"
