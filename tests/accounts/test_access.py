"""Roles on providers: what each allows, grants through groups, and their audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.access import can, forget_roles
from accounts.roles import ROLE_ACTIONS, Action, Role
from accounts.services import role_set
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
