"""A matrix as templates read it: rows of cells, each cell its parties' duties; no queries."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    Offering,
    Ownership,
    Party,
    PartyRole,
    Provider,
)


@dataclass
class PartyDuties:
    party: Party
    items: list[Duty]


@dataclass
class MatrixCell:
    """One (domain, offering) position; ``cell`` is None where nothing was written."""

    offering: Offering
    cell: Cell | None
    duties: list[PartyDuties]  # one entry per party, in the matrix's party order
    unpublished: bool = False  # differs from the published version (draft views)

    @property
    def ownership(self) -> str:
        return self.cell.ownership if self.cell else ""

    def duties_of(self, *, role: str) -> list[Duty]:
        return [item for entry in self.duties if entry.party.role == role for item in entry.items]


@dataclass
class MatrixRow:
    domain: ControlDomain
    cells: list[MatrixCell]
    unpublished: bool = False
    differs: bool = False
    differences: list[str] = field(default_factory=list)
    content: str = ""  # what the row shows, as the snapshot says it (canonical JSON)

    @property
    def digest(self) -> str:
        """Identifies what the row shows, its marks included: the key of its cached HTML."""
        marks = [self.unpublished, *(cell.unpublished for cell in self.cells)]
        return hashlib.sha256(f"{self.content}{marks}".encode()).hexdigest()


@dataclass
class Matrix:
    provider: Provider
    offerings: list[Offering]
    parties: list[Party]
    rows: list[MatrixRow]

    @property
    def customer_parties(self) -> list[Party]:
        return [party for party in self.parties if party.role == PartyRole.CUSTOMER]


def matrix_from_snapshot(
    provider: Provider,
    snapshot: dict,
    offerings: Sequence[str] | None = None,
    domains: Sequence[int] | None = None,
) -> Matrix:
    """The matrix of a snapshot (draft or published), for templates; no queries.

    ``offerings`` (slugs) and ``domains`` (ids) narrow it, in matrix order.
    The objects are unsaved model instances carrying the snapshot's ids.
    """
    offering_objs = [
        Offering(provider=provider, **o)
        for o in snapshot["offerings"]
        if offerings is None or o["slug"] in offerings
    ]
    party_objs = [Party(provider=provider, **p) for p in snapshot["parties"]]
    domain_objs = [
        ControlDomain(provider=provider, **d)
        for d in snapshot["domains"]
        if domains is None or d["id"] in domains
    ]
    parties = {party.pk: party for party in party_objs}
    party_index = {party.pk: index for index, party in enumerate(party_objs)}
    by_position = {(c["domain"], c["offering"]): c for c in snapshot["cells"]}
    offering_rows = [o for o in snapshot["offerings"] if o["id"] in {x.pk for x in offering_objs}]
    domain_rows = {d["id"]: d for d in snapshot["domains"]}
    rows = []
    for domain in domain_objs:
        content = json.dumps(
            [
                domain_rows[domain.pk],
                snapshot["parties"],
                [[o, by_position.get((domain.pk, o["id"]))] for o in offering_rows],
            ],
            sort_keys=True,
            separators=(",", ":"),
        )
        row_cells = []
        for offering in offering_objs:
            data = by_position.get((domain.pk, offering.pk))
            duties = [PartyDuties(party=party, items=[]) for party in party_objs]
            cell = None
            if data is not None:
                cell = Cell(
                    id=data["id"],
                    provider=provider,
                    offering=offering,
                    domain=domain,
                    ownership=data["ownership"],
                )
                for item in data["duties"]:
                    fields = {k: v for k, v in item.items() if k != "party"}
                    duty = Duty(party=parties[item["party"]], **fields)
                    duties[party_index[item["party"]]].items.append(duty)
            row_cells.append(MatrixCell(offering=offering, cell=cell, duties=duties))
        rows.append(MatrixRow(domain=domain, cells=row_cells, content=content))
    return Matrix(provider=provider, offerings=offering_objs, parties=party_objs, rows=rows)


def mark_unpublished(matrix: Matrix, draft: dict, published: dict | None) -> int:
    """Flag the draft's cells and rows that differ from ``published``; returns how many cells."""
    if published is None:
        return 0
    old_cells = {(c["domain"], c["offering"]): c for c in published["cells"]}
    new_cells = {(c["domain"], c["offering"]): c for c in draft["cells"]}
    old_domains = {d["id"]: d for d in published["domains"]}
    changed = 0
    for row in matrix.rows:
        domain = row.domain
        row.unpublished = old_domains.get(domain.pk) != next(
            (d for d in draft["domains"] if d["id"] == domain.pk), None
        )
        for mc in row.cells:
            key = (domain.pk, mc.offering.pk)
            mc.unpublished = old_cells.get(key) != new_cells.get(key)
            changed += mc.unpublished
            row.unpublished = row.unpublished or mc.unpublished
    return changed


def _customer_view(cell: MatrixCell) -> tuple:
    return tuple(
        (d.text, d.advanced, d.not_applicable, d.scope)
        for d in cell.duties_of(role=PartyRole.CUSTOMER)
    )


def matrix_compare(provider: Provider, snapshot: dict, offerings: Sequence[str]) -> Matrix:
    """The matrix of ``offerings`` (slugs) with each row marked where they differ.

    A row differs when the ownership or the customer's duties are not the same
    in every compared offering; ``differences`` says which, in words.
    """
    matrix = matrix_from_snapshot(provider, snapshot, offerings=offerings)
    for row in matrix.rows:
        if len({cell.ownership for cell in row.cells}) > 1:
            row.differences.append("ownership")
        if len({_customer_view(cell) for cell in row.cells}) > 1:
            row.differences.append("customer duties")
        row.differs = bool(row.differences)
    return matrix


def ownership_counts(matrix: Matrix) -> list[dict[str, object]]:
    """How many domains each ownership value covers in a one-offering matrix."""
    counts = Counter(row.cells[0].ownership for row in matrix.rows if row.cells[0].ownership)
    return [{"value": o.value, "count": counts[o.value]} for o in Ownership if counts[o.value]]
