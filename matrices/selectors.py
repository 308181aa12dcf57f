"""Reads of matrix content that need assembling, in a fixed number of queries.

Pages never walk relations lazily: a selector loads each table once and
builds plain dataclasses that templates iterate over, so a page costs the
same number of SQL queries for a 15-row matrix as for a 200-row one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.roles import Action
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
from matrices.richtext import plain_text


def provider_list(user) -> QuerySet[Provider]:
    """The providers ``user`` may see, for the home page, with offerings and parties."""
    return (
        Provider.objects.restrict(user, Action.VIEW)
        .annotate(domain_count=Count("domains"))
        .prefetch_related("offerings", "parties")
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

    @property
    def ownership(self) -> str:
        return self.cell.ownership if self.cell else ""

    def duties_of(self, *, role: str) -> list[Duty]:
        return [item for entry in self.duties if entry.party.role == role for item in entry.items]


@dataclass
class MatrixRow:
    domain: ControlDomain
    cells: list[MatrixCell]
    differs: bool = False
    differences: list[str] = field(default_factory=list)


@dataclass
class Matrix:
    provider: Provider
    offerings: list[Offering]
    parties: list[Party]
    rows: list[MatrixRow]

    @property
    def customer_parties(self) -> list[Party]:
        return [party for party in self.parties if party.role == PartyRole.CUSTOMER]

    @property
    def has_differences(self) -> bool:
        return any(row.differs for row in self.rows)


def matrix_build(
    provider: Provider,
    offerings: Sequence[Offering] | None = None,
    domains: Sequence[ControlDomain] | None = None,
) -> Matrix:
    """The provider's matrix, restricted to ``offerings`` and ``domains`` (default: all).

    At most five queries: offerings and domains (unless given), parties, cells,
    and their duties (one prefetch query).
    """
    if offerings is None:
        offerings = list(provider.offerings.all())
    parties = list(provider.parties.all())
    cells = Cell.objects.filter(provider=provider, offering__in=[o.pk for o in offerings])
    if domains is None:
        domains = list(provider.domains.all())
    else:
        cells = cells.filter(domain__in=[d.pk for d in domains])
    cells = cells.prefetch_related(
        Prefetch("duties", queryset=Duty.objects.order_by("position", "id"))
    )

    by_position = {(cell.domain_id, cell.offering_id): cell for cell in cells}
    party_index = {party.pk: index for index, party in enumerate(parties)}
    rows = []
    for domain in domains:
        row_cells = []
        for offering in offerings:
            cell = by_position.get((domain.pk, offering.pk))
            duties = [PartyDuties(party=party, items=[]) for party in parties]
            if cell is not None:
                for duty in cell.duties.all():
                    duties[party_index[duty.party_id]].items.append(duty)
            row_cells.append(MatrixCell(offering=offering, cell=cell, duties=duties))
        rows.append(MatrixRow(domain=domain, cells=row_cells))
    return Matrix(provider=provider, offerings=list(offerings), parties=parties, rows=rows)


def _customer_view(cell: MatrixCell) -> tuple:
    return tuple(
        (d.text, d.advanced, d.not_applicable, d.scope)
        for d in cell.duties_of(role=PartyRole.CUSTOMER)
    )


def matrix_compare(provider: Provider, offerings: Sequence[Offering]) -> Matrix:
    """The matrix of ``offerings`` with each row marked where they differ.

    A row differs when the ownership or the customer's duties are not the same
    in every compared offering; ``differences`` says which, in words.
    """
    matrix = matrix_build(provider, offerings)
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


@dataclass
class SearchHit:
    duty: Duty
    snippet: SafeString


SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 100


def highlight(text: str, query: str, *, width: int = 220) -> SafeString:
    """``text`` escaped, cut around the first match, every match wrapped in <mark>."""
    match = re.search(re.escape(query), text, flags=re.IGNORECASE)
    start = 0
    if match and len(text) > width:
        start = max(0, match.start() - width // 3)
    excerpt = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    parts = re.split(f"({re.escape(query)})", excerpt, flags=re.IGNORECASE)
    marked = "".join(
        f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - every part is escaped above


def duty_search(query: str, user) -> tuple[list[SearchHit], bool]:
    """Duties containing ``query`` across the providers ``user`` may see; (hits, truncated)."""
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return [], False
    visible = Provider.objects.restrict(user, Action.VIEW).values("pk")
    duties = list(
        Duty.objects.filter(text__icontains=query, cell__provider__in=visible)
        .select_related("party", "cell__offering__provider", "cell__domain", "cell__provider")
        .order_by(
            "cell__provider__name",
            "cell__domain__position",
            "cell__offering__position",
            "party__position",
            "position",
        )[: SEARCH_LIMIT + 1]
    )
    hits = [SearchHit(duty=d, snippet=highlight(plain_text(d.text), query)) for d in duties]
    return hits[:SEARCH_LIMIT], len(hits) > SEARCH_LIMIT


def group_hits(hits: Sequence[SearchHit]) -> dict[Provider, list[SearchHit]]:
    grouped: dict[Provider, list[SearchHit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.duty.cell.provider].append(hit)
    return dict(grouped)
