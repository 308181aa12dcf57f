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

from matrices.models import Cell, Duty, Provider

SNAPSHOT_SCHEMA = 1


def snapshot_build(provider: Provider) -> dict[str, Any]:
    """The provider's live (draft) matrix as a snapshot, in six queries.

    Rows are read as plain values, in one pass each, without making model
    objects: a 10,000-duty draft is read in tens of milliseconds.
    """
    offerings = list(
        provider.offerings.values("id", "name", "slug", "kind", "service_model", "description")
    )
    parties = list(provider.parties.values("id", "name", "role"))
    domains = list(provider.domains.values("id", "name", "slug", "description", "category"))
    party_order = {party["id"]: index for index, party in enumerate(parties)}
    offering_order = {offering["id"]: index for index, offering in enumerate(offerings)}
    domain_order = {domain["id"]: index for index, domain in enumerate(domains)}
    duties: dict[int, list[tuple]] = {}
    for cell_id, party, position, pk, text, text_html, advanced, na, scope in Duty.objects.filter(
        cell__provider=provider
    ).values_list(
        "cell_id",
        "party_id",
        "position",
        "id",
        "text",
        "text_html",
        "advanced",
        "not_applicable",
        "scope",
    ):
        duties.setdefault(cell_id, []).append(
            ((party_order[party], position, pk), party, text, text_html, advanced, na, scope)
        )
    cells = sorted(
        Cell.objects.filter(provider=provider).values_list(
            "id", "offering_id", "domain_id", "ownership"
        ),
        key=lambda c: (domain_order[c[2]], offering_order[c[1]]),
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
        # Through the relation: the pages fetch a provider with its sources already.
        "sources": [{"title": s.title, "url": s.url} for s in provider.sources.all()],
        "offerings": offerings,
        "parties": parties,
        "domains": domains,
        "cells": [
            {
                "id": cell_id,
                "offering": offering,
                "domain": domain,
                "ownership": ownership,
                "duties": [
                    {
                        "party": party,
                        "text": text,
                        "text_html": text_html,
                        "advanced": advanced,
                        "not_applicable": na,
                        "scope": scope,
                    }
                    for _key, party, text, text_html, advanced, na, scope in sorted(
                        duties.get(cell_id, ()), key=lambda d: d[0]
                    )
                ],
            }
            for cell_id, offering, domain, ownership in cells
        ],
    }


def snapshot_canonical(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    """SHA-256 (hex) of the snapshot's canonical form."""
    return hashlib.sha256(snapshot_canonical(snapshot)).hexdigest()
