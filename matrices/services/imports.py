"""Importing a whole matrix from the long format: a dry run, then one audited transaction.

The file is the truth for the provider's draft: parties, offerings and
domains are matched by name; what the file lacks is removed, what it adds is
created, and everything takes the file's order. Every change goes through the
same services (and audit records) as an edit in the browser, with one shared
reason. Applying is refused when the draft changed since the dry run.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction

from accounts.access import require
from accounts.roles import Action
from matrices.exchange.longformat import ParsedMatrix
from matrices.models import Cell, ControlDomain, Offering, Party, Provider
from matrices.selectors.imports import ImportPlan, import_plan
from matrices.selectors.structure import free_slug
from matrices.services.axes import (
    axes_reorder,
    axis_delete,
    axis_update,
    domain_create,
    offering_create,
    party_create,
)
from matrices.services.cells import DutyInput, cell_delete, cell_set
from matrices.services.errors import StaleDraft


def _reorder(model, provider: Provider, names: list[str], *, actor, reason: str) -> None:
    """Give the rows the file's order; each one that moves is audited."""
    objs = {obj.name: obj for obj in model.objects.select_for_update().filter(provider=provider)}
    axes_reorder([objs[name] for name in names], actor=actor, reason=reason)


@transaction.atomic
def import_apply(
    *, actor, provider: Provider, parsed: ParsedMatrix, expected_hash: str, reason: str
) -> ImportPlan:
    """Make the draft exactly what the file says, in one transaction; returns what was done."""
    require(actor, provider, Action.EDIT)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    plan = import_plan(actor=actor, provider=provider, parsed=parsed)
    if plan.base_hash != expected_hash:
        raise StaleDraft(
            "The draft changed since the dry run: run it again and check "
            "the differences before applying."
        )
    reason = reason.strip() or "Imported from a file."

    # Parties, offerings and domains: remove, create, update, by name.
    wanted_parties = {p.name: p.role for p in parsed.parties}
    for party in Party.objects.filter(provider=provider):
        if party.name not in wanted_parties:
            axis_delete(actor=actor, obj=party, expected_version=None, reason=reason)
        elif party.role != wanted_parties[party.name]:
            axis_update(
                actor=actor,
                obj=party,
                expected_version=None,
                changes={"role": wanted_parties[party.name]},
                reason=reason,
            )
    wanted_offerings = {o.name: o.kind for o in parsed.offerings}
    for offering in Offering.objects.filter(provider=provider):
        if offering.name not in wanted_offerings:
            axis_delete(actor=actor, obj=offering, expected_version=None, reason=reason)
        elif offering.kind != wanted_offerings[offering.name]:
            axis_update(
                actor=actor,
                obj=offering,
                expected_version=None,
                changes={"kind": wanted_offerings[offering.name]},
                reason=reason,
            )
    for domain in ControlDomain.objects.filter(provider=provider):
        if domain.name not in parsed.domains:
            axis_delete(actor=actor, obj=domain, expected_version=None, reason=reason)
    existing = set(Party.objects.filter(provider=provider).values_list("name", flat=True))
    for p in parsed.parties:
        if p.name not in existing:
            party_create(actor=actor, provider=provider, name=p.name, role=p.role, reason=reason)
    existing = set(Offering.objects.filter(provider=provider).values_list("name", flat=True))
    for o in parsed.offerings:
        if o.name not in existing:
            offering_create(
                actor=actor,
                provider=provider,
                name=o.name,
                kind=o.kind,
                slug=free_slug(Offering, provider, o.name),
                reason=reason,
            )
    existing = set(ControlDomain.objects.filter(provider=provider).values_list("name", flat=True))
    for name in parsed.domains:
        if name not in existing:
            domain_create(
                actor=actor,
                provider=provider,
                name=name,
                slug=free_slug(ControlDomain, provider, name),
                reason=reason,
            )
    _reorder(Party, provider, [p.name for p in parsed.parties], actor=actor, reason=reason)
    _reorder(Offering, provider, [o.name for o in parsed.offerings], actor=actor, reason=reason)
    _reorder(ControlDomain, provider, parsed.domains, actor=actor, reason=reason)

    # Cells: set each one whose rows the plan adds, changes or removes; remove the rest.
    # A cell none of whose rows changed is left alone: it would write nothing anyway.
    touched = {
        (row["domain"], row["offering"])
        for row in [*plan.added, *plan.removed, *(after for _, after in plan.changed)]
    }
    offerings = {o.name: o for o in Offering.objects.filter(provider=provider)}
    domains = {d.name: d for d in ControlDomain.objects.filter(provider=provider)}
    parties = {p.name: p for p in Party.objects.filter(provider=provider)}
    for (domain, offering), cell in parsed.cells.items():
        if (domain, offering) not in touched:
            continue
        cell_set(
            actor=actor,
            offering=offerings[offering],
            domain=domains[domain],
            ownership=cell.ownership,
            reason=reason,
            duties={
                parties[name]: [DutyInput.from_dict(asdict(item)) for item in items]
                for name, items in cell.duties.items()
            },
        )
    for cell in Cell.objects.filter(provider=provider).select_related(
        "offering", "domain", "provider"
    ):
        if (cell.domain.name, cell.offering.name) not in parsed.cells:
            cell_delete(actor=actor, cell=cell, reason=reason)
    return plan
