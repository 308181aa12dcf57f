"""Granting and revoking roles on a provider; every change is audited."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.access import can, forget_roles
from accounts.roles import Action, GuardedProvider, Role
from accounts.selectors import admin_holders, principal_roles
from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def _principal_key(principal) -> tuple[str, str]:
    kind = "group" if isinstance(principal, Group) else "user"
    label = principal.name if kind == "group" else principal.get_username()
    return f"{kind}:{principal.pk}", f"{label} ({kind})"


@transaction.atomic
def role_set(
    *, actor, provider: GuardedProvider, principal, role: Role | None, reason: str = ""
) -> set[Role]:
    """Make ``principal`` (a user or a group) hold exactly ``role`` on ``provider``, or none.

    Records a revoke for each role taken away and a grant for the new one.
    Refuses (ValidationError) to leave the provider without a provider admin,
    and (PermissionDenied) actors who may not manage access.
    """
    if actor is not None and not can(actor, provider, Action.MANAGE_ACCESS):
        raise PermissionDenied(f"{actor} may not manage access to {provider.name}.")
    # Serialise access changes per provider, so two admins cannot both demote
    # each other and leave no admin behind.
    type(provider).objects.select_for_update().filter(pk=provider.pk).first()
    held = principal_roles(provider, principal)
    wanted = {role} if role else set()
    if held == wanted:
        return held
    if Role.ADMIN in held and Role.ADMIN not in wanted and admin_holders(provider) <= 1:
        raise ValidationError(
            f"{_principal_key(principal)[1]} is the last provider admin of {provider.name}; "
            "grant the role to someone else first."
        )
    object_id, label = _principal_key(principal)
    for old in sorted(held - wanted):
        remove_perm(f"matrices.{old.codename}", principal, provider)
        audit_append(
            action=AuditAction.REVOKE,
            object_type=ObjectType.ROLE,
            object_id=object_id,
            object_label=label,
            provider=provider,
            before={"role": old.value},
            after=None,
            reason=reason,
            actor=actor,
        )
    for new in sorted(wanted - held):
        assign_perm(f"matrices.{new.codename}", principal, provider)
        audit_append(
            action=AuditAction.GRANT,
            object_type=ObjectType.ROLE,
            object_id=object_id,
            object_label=label,
            provider=provider,
            before={"role": sorted(r.value for r in held)[0]} if held else None,
            after={"role": new.value},
            reason=reason,
            actor=actor,
        )
    forget_roles(actor)
    forget_roles(principal if not isinstance(principal, Group) else None)
    return wanted
