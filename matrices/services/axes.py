"""The axes of a matrix: adding, changing, reordering and deleting offerings, parties, domains.

Every function validates, writes, and appends its audit records in one
transaction; changes to existing rows are checked against the version the
caller edited (``expected_version``), so a stale form never overwrites.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from matrices.models import Cell, ControlDomain, Offering, Party, Provider
from matrices.selectors.structure import next_position
from matrices.services.auditing import audit_change
from matrices.services.guards import lock

Axis = Offering | Party | ControlDomain

EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Offering: ("name", "slug", "kind", "service_model", "description"),
    Party: ("name", "role"),
    ControlDomain: ("name", "slug", "description", "category"),
}


def _axis_create(obj: Axis, *, actor, reason: str) -> Axis:
    require(actor, obj.provider, Action.EDIT)
    model = type(obj)
    obj.position = next_position(model, obj.provider)
    obj.full_clean()
    obj.save()
    audit_change(obj, AuditAction.CREATE, actor=actor, after=obj.audit_snapshot(), reason=reason)
    return obj


@transaction.atomic
def offering_create(
    *,
    actor=None,
    provider: Provider,
    name: str,
    slug: str,
    kind: str,
    service_model: str = "",
    description: str = "",
    reason: str = "",
) -> Offering:
    offering = Offering(
        provider=provider,
        name=name,
        slug=slug,
        kind=kind,
        service_model=service_model,
        description=description,
    )
    return _axis_create(offering, actor=actor, reason=reason)


@transaction.atomic
def party_create(
    *, actor=None, provider: Provider, name: str, role: str, reason: str = ""
) -> Party:
    return _axis_create(Party(provider=provider, name=name, role=role), actor=actor, reason=reason)


@transaction.atomic
def domain_create(
    *,
    actor=None,
    provider: Provider,
    name: str,
    slug: str,
    description: str = "",
    category: str = "",
    reason: str = "",
) -> ControlDomain:
    domain = ControlDomain(
        provider=provider, name=name, slug=slug, description=description, category=category
    )
    return _axis_create(domain, actor=actor, reason=reason)


@transaction.atomic
def axis_update(
    *,
    actor,
    obj: Axis,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str = "",
) -> Axis:
    """Change an offering's, party's or domain's editable fields (rename, re-kind...)."""
    model = type(obj)
    unknown = set(changes) - set(EDITABLE_FIELDS[model])
    if unknown:
        raise ValueError(f"{model.__name__} fields that cannot be edited: {sorted(unknown)}")
    require(actor, obj.provider, Action.EDIT)
    current = lock(model, obj.pk, expected_version)
    before = current.audit_snapshot()
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    after = current.audit_snapshot()
    if after == before:
        return current
    current.version += 1
    current.save()
    audit_change(
        current, AuditAction.UPDATE, actor=actor, before=before, after=after, reason=reason
    )
    return current


@transaction.atomic
def axis_move(
    *, actor, obj: Axis, expected_version: int | None, offset: int, reason: str = ""
) -> Axis:
    """Move an offering, party or domain ``offset`` places up (<0) or down (>0).

    Positions are renumbered 0..n-1 in the new order; every object whose
    position changes gets a version bump and an audit record.
    """
    model = type(obj)
    require(actor, obj.provider, Action.EDIT)
    current = lock(model, obj.pk, expected_version)
    siblings = list(
        model.objects.select_for_update()
        .filter(provider=current.provider)
        .order_by("position", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == current.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    if target == index:
        return current
    siblings.insert(target, siblings.pop(index))
    axes_reorder(siblings, actor=actor, reason=reason)
    return next(s for s in siblings if s.pk == current.pk)


def axes_reorder(objs: list[Axis], *, actor, reason: str) -> None:
    """Number ``objs`` (one axis of one provider, locked by the caller) 0..n-1 in list order.

    Each one that moves gets a version bump and an audit record.
    """
    for position, obj in enumerate(objs):
        if obj.position == position:
            continue
        before = obj.audit_snapshot()
        obj.position = position
        obj.version += 1
        obj.save(update_fields=["position", "version"])
        audit_change(
            obj,
            AuditAction.UPDATE,
            actor=actor,
            before=before,
            after=obj.audit_snapshot(),
            reason=reason,
        )


@transaction.atomic
def axis_delete(*, actor, obj: Axis, expected_version: int | None, reason: str = "") -> None:
    """Delete an offering, domain or party with what hangs off it, all audited.

    Deleting an offering or a domain deletes its cells (each recorded with its
    content); deleting a party removes its duties from every cell, and each
    of those cells is recorded as updated.
    """
    model = type(obj)
    require(actor, obj.provider, Action.EDIT)
    current = lock(model, obj.pk, expected_version)
    if isinstance(current, Party):
        cells = (
            Cell.objects.select_for_update()
            .filter(pk__in=current.duties.values("cell_id"))
            .select_related("offering", "domain", "provider")
        )
        changed = [(cell, cell.audit_snapshot()) for cell in cells]
        current.duties.all().delete()
        for cell, before in changed:
            cell.version += 1
            cell.save(update_fields=["version"])
            audit_change(
                cell,
                AuditAction.UPDATE,
                actor=actor,
                before=before,
                after=cell.audit_snapshot(),
                reason=reason,
            )
    else:
        for cell in current.cells.select_related("offering", "domain", "provider"):
            audit_change(
                cell, AuditAction.DELETE, actor=actor, before=cell.audit_snapshot(), reason=reason
            )
    audit_change(
        current, AuditAction.DELETE, actor=actor, before=current.audit_snapshot(), reason=reason
    )
    current.delete()
