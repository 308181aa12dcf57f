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

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.access import sees_draft
from accounts.roles import Action
from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    MatrixVersion,
    Offering,
    Ownership,
    Party,
    PartyRole,
    PdfDocument,
    Provider,
)
from matrices.models.provider import OfferingKind, ServiceModel
from matrices.richtext import plain_text
from matrices.snapshot import snapshot_build


def provider_list(user) -> QuerySet[Provider]:
    """The providers ``user`` may see, for the home page."""
    return Provider.objects.restrict(user, Action.VIEW)


@dataclass(frozen=True)
class CardOffering:
    name: str
    url: str
    kind: str
    label: str


@dataclass(frozen=True)
class ProviderCard:
    """What a home-page card says of a provider: its latest published version.

    Only a provider never published (seen by its role holders alone) shows its
    draft: a card must not reveal unpublished offerings or parties.
    """

    provider: Provider
    offerings: list[CardOffering]
    parties: list[str]
    domain_count: int


def _card_offering(provider: Provider, offering: dict) -> CardOffering:
    model = offering.get("service_model")
    return CardOffering(
        name=offering["name"],
        url=reverse("matrices:offering", args=[provider.slug, offering["slug"]]),
        kind=offering["kind"],
        label=ServiceModel(model).label if model else OfferingKind(offering["kind"]).label,
    )


def provider_cards(providers: QuerySet[Provider]) -> list[ProviderCard]:
    """A card per provider: two queries, the published parts read inside the database."""
    providers = list(providers)
    published = {
        row["pk"]: row
        for row in Provider.objects.filter(pk__in=[p.pk for p in providers]).values(
            "pk",
            published_offerings=F("published__snapshot__offerings"),
            published_parties=F("published__snapshot__parties"),
            published_domains=F("published__snapshot__domains"),
        )
    }
    drafts = [provider for provider in providers if provider.published_id is None]
    prefetch_related_objects(drafts, "offerings", "parties", "domains")
    cards = []
    for provider in providers:
        if provider.published_id is not None:
            row = published[provider.pk]
            offerings = row["published_offerings"]
            parties, domains = row["published_parties"], row["published_domains"]
        else:
            offerings = [
                {"name": o.name, "slug": o.slug, "kind": o.kind, "service_model": o.service_model}
                for o in provider.offerings.all()
            ]
            parties = [{"name": party.name} for party in provider.parties.all()]
            domains = provider.domains.all()
        cards.append(
            ProviderCard(
                provider=provider,
                offerings=[_card_offering(provider, offering) for offering in offerings],
                parties=[party["name"] for party in parties],
                domain_count=len(domains),
            )
        )
    return cards


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
    rows = []
    for domain in domain_objs:
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
        rows.append(MatrixRow(domain=domain, cells=row_cells))
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


@dataclass
class SearchHit:
    """A published duty that matches a search, with where it stands."""

    provider: Provider
    domain: dict
    offering: dict
    party: dict
    ownership: str
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
    """Published duties containing ``query``, across the providers ``user`` may see.

    Searches what the public sees: each provider's latest published version.
    Returns (hits, truncated). Two queries, whatever the number of hits.
    """
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return [], False
    needle = query.casefold()
    visible = Provider.objects.restrict(user, Action.VIEW).filter(published__isnull=False)
    versions = MatrixVersion.objects.filter(pk__in=visible.values("published")).select_related(
        "provider"
    )
    hits: list[SearchHit] = []
    for version in sorted(versions, key=lambda v: v.provider.name.casefold()):
        snapshot = version.snapshot
        domains = {d["id"]: d for d in snapshot["domains"]}
        offerings = {o["id"]: o for o in snapshot["offerings"]}
        parties = {p["id"]: p for p in snapshot["parties"]}
        for cell in snapshot["cells"]:
            for duty in cell["duties"]:
                if needle not in duty["text"].casefold():
                    continue
                hits.append(
                    SearchHit(
                        provider=version.provider,
                        domain=domains[cell["domain"]],
                        offering=offerings[cell["offering"]],
                        party=parties[duty["party"]],
                        ownership=cell["ownership"],
                        snippet=highlight(plain_text(duty["text"]), query),
                    )
                )
                if len(hits) > SEARCH_LIMIT:
                    return hits[:SEARCH_LIMIT], True
    return hits, False


def group_hits(hits: Sequence[SearchHit]) -> dict[Provider, list[SearchHit]]:
    grouped: dict[Provider, list[SearchHit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.provider].append(hit)
    return dict(grouped)


def snapshot_of(provider: Provider, which: str, may: dict[str, bool]) -> tuple[dict, str]:
    """The snapshot of a version number, "latest" or "draft" (its readers only), and its label.

    Raises Http404 for a version that does not exist, PermissionDenied for a
    draft the caller may not read.
    """
    if which == "draft":
        if not may["draft"]:
            raise PermissionDenied(
                "Only the provider's editors, approvers and auditors see the draft."
            )
        return snapshot_build(provider), "the draft"
    if which == "latest":
        if not provider.published_id:
            raise Http404("Nothing is published yet.")
        return provider.published.snapshot, f"version {provider.published.number} (latest)"
    if not which.isdigit():
        raise Http404(f"No version {which!r}: use a number, 'latest' or 'draft'.")
    version = get_object_or_404(MatrixVersion, provider=provider, number=int(which))
    return version.snapshot, f"version {version.number}"


def pdf_document_for(user, provider: Provider, pk: int) -> PdfDocument:
    """The provider's PDF, if ``user`` may have it (else 404, whatever they guess).

    Drafts' PDFs are for the draft's readers; a gated provider's PDF names its
    downloader, so it is theirs alone.
    """
    document = get_object_or_404(
        PdfDocument.objects.select_related("provider", "version"), provider=provider, pk=pk
    )
    if document.version_id is None and not sees_draft(user, provider):
        raise Http404("No such document.")
    if document.stamp and document.requested_by_id != user.pk:
        raise Http404("No such document.")
    return document
