"""The set-based write path gives what the one-by-one services give.

The same file (and the same template) is applied both ways, from the same
draft: once by ``draft_sync`` (bulk writes, one batch of audit records), once
by the per-object services an editor's clicks call (``cell_set``,
``axis_delete``...), in the order the import always followed. The drafts come
out the same (their hashes, ids aside, and every row's version and position),
and so do the audit records (their contents, ids and times aside).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction

from audit.models import AuditRecord
from matrices.exchange.files import read_matrix, write_csv
from matrices.exchange.longformat import ParsedMatrix, rows_from_snapshot
from matrices.models import Cell, ControlDomain, Offering, Party, Provider
from matrices.selectors.structure import free_slug
from matrices.services import (
    DutyInput,
    axis_delete,
    axis_update,
    cell_delete,
    cell_set,
    domain_create,
    offering_create,
    party_create,
    provider_create,
)
from matrices.services.axes import axes_reorder
from matrices.services.draft_sync import MatrixTarget, draft_sync
from matrices.snapshot import snapshot_build, snapshot_hash
from tests.factories import matrix_without_ids

pytestmark = pytest.mark.django_db

REASON = "Quarterly sync"


def parse_rows(rows: list[dict]) -> ParsedMatrix:
    """The rows as an uploaded CSV file is read."""
    return read_matrix("matrix.csv", write_csv(rows))


def one_by_one(*, actor, provider: Provider, parsed: ParsedMatrix, reason: str) -> None:
    """The import as the per-object services do it (the path before the set-based one)."""
    wanted = {p.name: p.role for p in parsed.parties}
    for party in Party.objects.filter(provider=provider):
        if party.name not in wanted:
            axis_delete(actor=actor, obj=party, expected_version=None, reason=reason)
        elif party.role != wanted[party.name]:
            axis_update(
                actor=actor,
                obj=party,
                expected_version=None,
                changes={"role": wanted[party.name]},
                reason=reason,
            )
    kinds = {o.name: o.kind for o in parsed.offerings}
    for offering in Offering.objects.filter(provider=provider):
        if offering.name not in kinds:
            axis_delete(actor=actor, obj=offering, expected_version=None, reason=reason)
        elif offering.kind != kinds[offering.name]:
            axis_update(
                actor=actor,
                obj=offering,
                expected_version=None,
                changes={"kind": kinds[offering.name]},
                reason=reason,
            )
    for domain in ControlDomain.objects.filter(provider=provider):
        if domain.name not in parsed.domains:
            axis_delete(actor=actor, obj=domain, expected_version=None, reason=reason)
    names = set(Party.objects.filter(provider=provider).values_list("name", flat=True))
    for p in parsed.parties:
        if p.name not in names:
            party_create(actor=actor, provider=provider, name=p.name, role=p.role, reason=reason)
    names = set(Offering.objects.filter(provider=provider).values_list("name", flat=True))
    for o in parsed.offerings:
        if o.name not in names:
            slug = free_slug(Offering, provider, o.name)
            offering_create(
                actor=actor, provider=provider, name=o.name, kind=o.kind, slug=slug, reason=reason
            )
    names = set(ControlDomain.objects.filter(provider=provider).values_list("name", flat=True))
    for name in parsed.domains:
        if name not in names:
            slug = free_slug(ControlDomain, provider, name)
            domain_create(actor=actor, provider=provider, name=name, slug=slug, reason=reason)
    for model, order in (
        (Party, [p.name for p in parsed.parties]),
        (Offering, [o.name for o in parsed.offerings]),
        (ControlDomain, parsed.domains),
    ):
        objs = {obj.name: obj for obj in model.objects.filter(provider=provider)}
        axes_reorder([objs[name] for name in order], actor=actor, reason=reason)
    offerings = {o.name: o for o in Offering.objects.filter(provider=provider)}
    domains = {d.name: d for d in ControlDomain.objects.filter(provider=provider)}
    parties = {p.name: p for p in Party.objects.filter(provider=provider)}
    for (domain, offering), cell in parsed.cells.items():
        cell_set(
            actor=actor,
            offering=offerings[offering],
            domain=domains[domain],
            ownership=cell.ownership,
            reason=reason,
            duties={
                parties[name]: [DutyInput.from_dict(vars(item)) for item in items]
                for name, items in cell.duties.items()
            },
        )
    for cell in Cell.objects.filter(provider=provider).select_related("offering", "domain"):
        if (cell.domain.name, cell.offering.name) not in parsed.cells:
            cell_delete(actor=actor, cell=cell, reason=reason)


def outcome(provider: Provider, since: int) -> dict:
    """The draft (ids aside) and every row's version and position, and the audit records
    written since ``since`` (ids and times aside), as a multiset."""
    records = [
        (
            r.action,
            r.object_type,
            r.object_label,
            r.actor_id,
            r.provider_id,
            r.before,
            r.after,
            r.changed_fields,
            r.reason,
        )
        for r in AuditRecord.objects.filter(seq__gt=since)
    ]
    return {
        "draft": snapshot_hash(matrix_without_ids(snapshot_build(provider))),
        "rows": {
            model.__name__: sorted(
                model.objects.filter(provider=provider).values_list("name", "position", "version")
            )
            for model in (Offering, Party, ControlDomain)
        },
        "cells": sorted(
            Cell.objects.filter(provider=provider).values_list(
                "domain__name", "offering__name", "version"
            )
        ),
        "records": sorted(records, key=repr),
    }


class Rollback(Exception):
    pass


def both_ways(provider: Provider, bulk: Callable[[], object], reference: Callable[[], object]):
    """What each way leaves, each applied to the same starting draft (rolled back after)."""
    results = []
    for apply in (bulk, reference):
        since = AuditRecord.objects.order_by("-seq").first().seq
        try:
            with transaction.atomic():
                apply()
                results.append(outcome(provider, since))
                raise Rollback
        except Rollback:
            pass
    return results


def edited_singlestore_rows() -> list[dict]:
    """SingleStore's draft as a file, edited in every way an import can change a draft."""
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    rows = [r for r in rows if r["offering"] != "SingleStore Self-managed"]  # an offering goes
    for row in rows:
        if row["domain"] == "Compliance" and row["party"] == "Customer":
            row["duty"] = "- Keep audit evidence for two years.\n- [advanced] Sign it."
        if row["party"] == "SingleStore":
            row["party_role"] = "third-party"  # a party changes role
    first = rows[0]["domain"]
    rows = [r for r in rows if r["domain"] != first] + [r for r in rows if r["domain"] == first]
    for offering in ("SingleStore Helios", "SingleStore Helios BYOC"):
        for party, role in (("SingleStore", "third-party"), ("Customer", "customer")):
            rows.append(
                {
                    "domain": "Physical security",  # a new domain
                    "offering": offering,
                    "offering_kind": "managed" if offering.endswith("Helios") else "byoc",
                    "party": party,
                    "party_role": role,
                    "ownership": "third-party",
                    "duty": "Rely on the data centres." if party == "SingleStore" else "",
                }
            )
    rows.append({**rows[0], "party": "Auditor Ltd", "party_role": "third-party"})  # new party
    # (rows[0]: the first domain is now the second one: the first moved to the end)
    return rows


def test_an_import_gives_the_same_draft_and_audit_records_both_ways(users):
    provider = Provider.objects.get(slug="singlestore")
    parsed = parse_rows(edited_singlestore_rows())
    editor = users["editor"]
    bulk, reference = both_ways(
        provider,
        lambda: draft_sync(
            actor=editor,
            provider=provider,
            target=MatrixTarget.from_parsed(parsed),
            reason=REASON,
        ),
        lambda: one_by_one(actor=editor, provider=provider, parsed=parsed, reason=REASON),
    )
    kinds = {(record[0], record[1]) for record in bulk["records"]}
    assert kinds >= {
        ("delete", "offering"),
        ("delete", "cell"),
        ("update", "party"),
        ("update", "domain"),
        ("create", "domain"),
        ("create", "party"),
        ("create", "cell"),
        ("update", "cell"),
    }
    assert bulk == reference


def test_the_imported_draft_is_what_the_file_says():
    provider = Provider.objects.get(slug="singlestore")
    rows = edited_singlestore_rows()
    draft_sync(
        actor=None, provider=provider, target=MatrixTarget.from_parsed(parse_rows(rows)), reason=""
    )
    assert write_csv(rows_from_snapshot(snapshot_build(provider))) == write_csv(
        rows_from_snapshot(parse_rows(rows).to_snapshot_like())
    )


def test_a_template_is_copied_the_same_both_ways(users):
    template = Provider.objects.get(slug="template")
    snapshot = template.published.snapshot
    empty = provider_create(name="Acme", slug="acme")

    def copy_one_by_one() -> None:
        offerings = {
            o["id"]: offering_create(
                provider=empty,
                name=o["name"],
                slug=o["slug"],
                kind=o["kind"],
                service_model=o["service_model"],
                description=o["description"],
                reason=REASON,
            )
            for o in snapshot["offerings"]
        }
        parties = {
            p["id"]: party_create(provider=empty, name=p["name"], role=p["role"], reason=REASON)
            for p in snapshot["parties"]
        }
        domains = {
            d["id"]: domain_create(
                provider=empty,
                name=d["name"],
                slug=d["slug"],
                description=d["description"],
                category=d["category"],
                reason=REASON,
            )
            for d in snapshot["domains"]
        }
        for cell in snapshot["cells"]:
            duties: dict = {}
            for duty in cell["duties"]:
                duties.setdefault(parties[duty["party"]], []).append(DutyInput.from_dict(duty))
            cell_set(
                actor=None,
                offering=offerings[cell["offering"]],
                domain=domains[cell["domain"]],
                ownership=cell["ownership"],
                duties=duties,
                reason=REASON,
            )

    bulk, reference = both_ways(
        empty,
        lambda: draft_sync(
            actor=None,
            provider=empty,
            target=MatrixTarget.from_snapshot(snapshot),
            reason=REASON,
        ),
        copy_one_by_one,
    )
    assert bulk == reference
    assert bulk["draft"] == snapshot_hash(matrix_without_ids(snapshot))


def test_every_refused_row_is_listed_and_nothing_is_written(users):
    provider = Provider.objects.get(slug="singlestore")
    rows = rows_from_snapshot(snapshot_build(provider))
    parsed = parse_rows(rows)
    cells = list(parsed.cells)
    for key in cells[:2]:
        _ownership, duties = parsed.cells[key]
        party = next(iter(duties))
        duties[party][0] = type(duties[party][0])(text="<b></b>")
    before = snapshot_build(provider)
    with pytest.raises(Exception, match="nothing was left") as refused:
        draft_sync(
            actor=users["editor"],
            provider=provider,
            target=MatrixTarget.from_parsed(parsed),
            reason="x",
        )
    assert len(refused.value.messages) == 2
    assert snapshot_build(provider) == before
