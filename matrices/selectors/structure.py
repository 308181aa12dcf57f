"""Reads about a matrix's axes and where new providers start from."""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from accounts.roles import Action
from matrices.models import ControlDomain, Offering, Party, Provider
from matrices.selectors.editions import edition_for
from matrices.snapshot import snapshot_build

Axis = Offering | Party | ControlDomain


def axis_delete_impact(obj: Axis) -> dict[str, int]:
    """What goes with an offering, domain or party when it is deleted."""
    if isinstance(obj, Party):
        duties = obj.duties.all()
        return {"cells": duties.values("cell").distinct().count(), "duties": duties.count()}
    cells = obj.cells.all()
    return {"cells": cells.count(), "duties": sum(c.duties.count() for c in cells)}


def next_position(model: type[Axis], provider: Provider) -> int:
    """The position after the provider's last offering, party or domain (0 for the first)."""
    last = (
        model.objects.filter(provider=provider)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


def free_slug(model: type[Axis], provider: Provider, name: str) -> str:
    """A slug made from ``name`` that none of the provider's offerings (or domains) has."""
    base = slugify(name)[:70] or "item"
    taken = set(model.objects.filter(provider=provider).values_list("slug", flat=True))
    slug, index = base, 2
    while slug in taken:
        slug, index = f"{base}-{index}", index + 1
    return slug


def provider_templates(user) -> list[Provider]:
    """The providers flagged as templates that ``user`` may start from."""
    return list(Provider.objects.restrict(user, Action.VIEW).filter(is_template=True))


def template_snapshot(user, template: Provider) -> dict[str, Any]:
    """What a new provider copies from ``template``: the edition ``user`` sees of it.

    Its latest published version: the content its approvers vouched for, not
    edits still waiting for review in its draft. A template never published
    gives its draft to those who may read it, so a freshly loaded template is
    usable at once.
    """
    if user is None:  # the system itself (a management command) reads what a superuser would
        return template.published.snapshot if template.published_id else snapshot_build(template)
    return edition_for(user, template).snapshot
