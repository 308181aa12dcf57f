"""Creating, changing, reordering and deleting a provider and the axes of its matrix.

Every function validates, writes, and appends its audit records in one
transaction; changes to existing rows are checked against the version the
caller edited (``expected_version``), so a stale form never overwrites.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from accounts.roles import Action
from audit.models import AuditAction
from audit.services import audit_append
from matrices.models import Cell, ControlDomain, Offering, Party, Provider, SourceDocument
from matrices.services.guards import lock, require

Axis = Offering | Party | ControlDomain

OBJECT_TYPES: dict[type[models.Model], str] = {
    Provider: "provider",
    Offering: "offering",
    Party: "party",
    ControlDomain: "domain",
    Cell: "cell",
}


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _audit(
    obj: models.Model,
    action: str,
    *,
    actor,
    provider: Provider,
    before: dict | None,
    after: dict | None,
    reason: str,
    label: str | None = None,
) -> None:
    audit_append(
        action=action,
        object_type=OBJECT_TYPES[type(obj)],
        object_id=obj.pk,
        object_label=label or str(obj),
        provider=provider,
        before=before,
        after=after,
        reason=reason,
        actor=actor,
    )


# Slugs that name pages under /providers/ rather than a provider.
RESERVED_PROVIDER_SLUGS = frozenset({"new"})


def may_create_providers(user) -> bool:
    """Whether ``user`` may create providers: site administrators only."""
    return bool(user and user.is_active and user.is_superuser)


def _require_superuser(actor, doing: str) -> None:
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(f"Only site administrators {doing}.")


def _provider_snapshot(provider: Provider) -> dict:
    return {
        **provider.audit_snapshot(),
        "sources": [{"title": s.title, "url": s.url} for s in provider.sources.all()],
    }


@transaction.atomic
def provider_create(
    *,
    actor=None,
    name: str,
    slug: str,
    website: str = "",
    summary: str = "",
    is_template: bool = False,
    visibility: str = "public",
    sources: Iterable[tuple[str, str]] = (),
    reason: str = "",
) -> Provider:
    """Create a provider with its source documents as (title, url) pairs (superusers only)."""
    _require_superuser(actor, "create providers")
    provider = Provider(
        name=name,
        slug=slug,
        website=website,
        summary=summary,
        is_template=is_template,
        visibility=visibility,
    )
    errors: dict = {}
    try:
        provider.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if slug in RESERVED_PROVIDER_SLUGS:
        errors.setdefault("slug", []).append(f"“{slug}” is reserved for a page of the portal.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError:
        # Another request took the slug between our check and our insert.
        raise ValidationError({"slug": ["Provider with this Slug already exists."]}) from None
    for position, (title, url) in enumerate(sources):
        source = SourceDocument(provider=provider, title=title, url=url, position=position)
        source.full_clean()
        source.save()
    _audit(
        provider,
        AuditAction.CREATE,
        actor=actor,
        provider=provider,
        before=None,
        after=_provider_snapshot(provider),
        reason=reason,
    )
    return provider


@transaction.atomic
def provider_delete(*, actor=None, provider: Provider, reason: str = "") -> None:
    """Delete a provider and its whole matrix; every cell's content stays in the log."""
    _require_superuser(actor, "delete providers")
    for cell in Cell.objects.filter(provider=provider).select_related("offering", "domain"):
        _audit_cell_removed(cell, actor=actor, reason=reason)
    for axis in (*provider.offerings.all(), *provider.parties.all(), *provider.domains.all()):
        _audit(
            axis,
            AuditAction.DELETE,
            actor=actor,
            provider=provider,
            before=axis.audit_snapshot(),
            after=None,
            reason=reason,
        )
    _audit(
        provider,
        AuditAction.DELETE,
        actor=actor,
        provider=provider,
        before=_provider_snapshot(provider),
        after=None,
        reason=reason,
    )
    provider.delete()


def _audit_cell_removed(cell: Cell, *, actor, reason: str) -> None:
    _audit(
        cell,
        AuditAction.DELETE,
        actor=actor,
        provider=cell.provider,
        before=cell.audit_snapshot(),
        after=None,
        reason=reason,
        label=f"{cell.domain.name} / {cell.offering.name}",
    )


def _axis_create(obj: Axis, *, actor, reason: str) -> Axis:
    require(actor, obj.provider, Action.EDIT)
    model = type(obj)
    obj.position = _next_position(model.objects.filter(provider=obj.provider))
    obj.full_clean()
    obj.save()
    _audit(
        obj,
        AuditAction.CREATE,
        actor=actor,
        provider=obj.provider,
        before=None,
        after=obj.audit_snapshot(),
        reason=reason,
    )
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


EDITABLE_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Offering: ("name", "slug", "kind", "service_model", "description"),
    Party: ("name", "role"),
    ControlDomain: ("name", "slug", "description", "category"),
}


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
    _audit(
        current,
        AuditAction.UPDATE,
        actor=actor,
        provider=current.provider,
        before=before,
        after=after,
        reason=reason,
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
    for position, sibling in enumerate(siblings):
        axis_set_position(sibling, position, actor=actor, reason=reason)
    return next(s for s in siblings if s.pk == current.pk)


def axis_set_position(obj: Axis, position: int, *, actor, reason: str) -> None:
    """Put ``obj`` (locked by the caller) at ``position``: version bump and audit if it moves."""
    if obj.position == position:
        return
    before = obj.audit_snapshot()
    obj.position = position
    obj.version += 1
    obj.save(update_fields=["position", "version"])
    _audit(
        obj,
        AuditAction.UPDATE,
        actor=actor,
        provider=obj.provider,
        before=before,
        after=obj.audit_snapshot(),
        reason=reason,
    )


def axis_delete_impact(obj: Axis) -> dict[str, int]:
    """What goes with an offering, domain or party when it is deleted."""
    if isinstance(obj, Party):
        duties = obj.duties.all()
        return {"cells": duties.values("cell").distinct().count(), "duties": duties.count()}
    cells = obj.cells.all()
    return {"cells": cells.count(), "duties": sum(c.duties.count() for c in cells)}


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
    provider = current.provider
    if isinstance(current, Party):
        cells = (
            Cell.objects.select_for_update()
            .filter(pk__in=current.duties.values("cell_id"))
            .select_related("offering", "domain")
        )
        changed = []
        for cell in cells:
            changed.append((cell, cell.audit_snapshot()))
        current.duties.all().delete()
        for cell, before in changed:
            cell.version += 1
            cell.save(update_fields=["version"])
            _audit(
                cell,
                AuditAction.UPDATE,
                actor=actor,
                provider=provider,
                before=before,
                after=cell.audit_snapshot(),
                reason=reason,
                label=f"{cell.domain.name} / {cell.offering.name}",
            )
    else:
        for cell in current.cells.select_related("offering", "domain", "provider"):
            _audit_cell_removed(cell, actor=actor, reason=reason)
    _audit(
        current,
        AuditAction.DELETE,
        actor=actor,
        provider=provider,
        before=current.audit_snapshot(),
        after=None,
        reason=reason,
    )
    current.delete()


@transaction.atomic
def provider_set_visibility(
    *, actor, provider: Provider, visibility: str, expected_version: int | None, reason: str = ""
) -> Provider:
    """Make a provider public, visible to signed-in users only, or private (provider admins)."""
    require(actor, provider, Action.MANAGE_ACCESS)
    current = lock(Provider, provider.pk, expected_version)
    before = _provider_snapshot(current)
    current.visibility = visibility
    current.full_clean()
    if current.visibility == before["visibility"]:
        return current
    current.version += 1
    current.save(update_fields=["visibility", "version", "updated_at"])
    _audit(
        current,
        AuditAction.UPDATE,
        actor=actor,
        provider=current,
        before=before,
        after=_provider_snapshot(current),
        reason=reason,
    )
    return current
