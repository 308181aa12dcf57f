"""A matrix as one JSON document: what a published version keeps, and its hash.

The snapshot is the whole matrix in display order, with each duty's
sanitised HTML as it was rendered at publication, so a published version
reads the same forever whatever later changes to the renderer. Its SHA-256
over the canonical form (key-sorted, compact JSON) identifies it: approvals
are bound to it, PDFs are keyed by it.

Shape (``SNAPSHOT_SCHEMA`` 1)::

    {"schema": 1,
     "provider": {"id", "name", "slug", "website", "summary", "is_template"},
     "sources": [{"title", "url"}],
     "offerings": [{"id", "name", "slug", "kind", "service_model", "description"}],
     "parties": [{"id", "name", "role"}],
     "domains": [{"id", "name", "slug", "description", "category"}],
     "cells": [{"id", "offering": <offering id>, "domain": <domain id>, "ownership",
                "duties": [{"party": <party id>, "text", "text_html", "advanced",
                            "not_applicable", "scope"}]}]}

Lists are in display order (offerings, parties and domains by position;
cells by domain then offering; duties by party then position).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Prefetch

from matrices.models import Cell, Duty, Provider

SNAPSHOT_SCHEMA = 1


def snapshot_build(provider: Provider) -> dict[str, Any]:
    """The provider's live (draft) matrix as a snapshot, in six queries."""
    offerings = list(provider.offerings.all())
    parties = list(provider.parties.all())
    domains = list(provider.domains.all())
    party_order = {party.pk: index for index, party in enumerate(parties)}
    offering_order = {offering.pk: index for index, offering in enumerate(offerings)}
    domain_order = {domain.pk: index for index, domain in enumerate(domains)}
    cells = sorted(
        Cell.objects.filter(provider=provider).prefetch_related(
            Prefetch("duties", queryset=Duty.objects.order_by("position", "id"))
        ),
        key=lambda c: (domain_order[c.domain_id], offering_order[c.offering_id]),
    )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "provider": {
            "id": provider.pk,
            "name": provider.name,
            "slug": provider.slug,
            "website": provider.website,
            "summary": provider.summary,
            "is_template": provider.is_template,
        },
        "sources": [{"title": s.title, "url": s.url} for s in provider.sources.all()],
        "offerings": [
            {
                "id": o.pk,
                "name": o.name,
                "slug": o.slug,
                "kind": o.kind,
                "service_model": o.service_model,
                "description": o.description,
            }
            for o in offerings
        ],
        "parties": [{"id": p.pk, "name": p.name, "role": p.role} for p in parties],
        "domains": [
            {
                "id": d.pk,
                "name": d.name,
                "slug": d.slug,
                "description": d.description,
                "category": d.category,
            }
            for d in domains
        ],
        "cells": [
            {
                "id": cell.pk,
                "offering": cell.offering_id,
                "domain": cell.domain_id,
                "ownership": cell.ownership,
                "duties": [
                    {
                        "party": duty.party_id,
                        "text": duty.text,
                        "text_html": duty.text_html,
                        "advanced": duty.advanced,
                        "not_applicable": duty.not_applicable,
                        "scope": duty.scope,
                    }
                    for duty in sorted(
                        cell.duties.all(), key=lambda d: (party_order[d.party_id], d.position, d.pk)
                    )
                ],
            }
            for cell in cells
        ],
    }


def snapshot_canonical(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    """SHA-256 (hex) of the snapshot's canonical form."""
    return hashlib.sha256(snapshot_canonical(snapshot)).hexdigest()
