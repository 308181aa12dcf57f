"""Roles on providers: what each allows, grants through groups, and their audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import can, forget_roles
from accounts.roles import Action, Role
from accounts.services import role_set
from audit.models import AuditRecord
from matrices.models import Provider

pytestmark = pytest.mark.django_db


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
