"""A synthetic matrix of any size, for query-count tests and benchmarks.

Rows are written with ``bulk_create`` for speed, so ``text_html`` is rendered
here explicitly (``Duty.save`` is bypassed).
"""

from __future__ import annotations

import random

from django.db import transaction

from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    Offering,
    OfferingKind,
    Ownership,
    Party,
    PartyRole,
    Provider,
)
from matrices.richtext import render_markdown

WORDS = [
    *("configure", "monitor", "encrypt", "rotate", "review", "restrict", "provision"),
    *("patch", "audit", "isolate", "authenticate", "log", "alert", "retain", "harden"),
    *("keys", "policies", "networks", "clusters", "secrets", "backups", "certificates"),
    *("identities", "tokens", "regions", "workloads", "buckets", "dashboards", "endpoints"),
]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


@transaction.atomic
def synthetic_provider_create(
    *,
    slug: str = "synthetic",
    domains: int = 200,
    offerings: int = 6,
    parties: int = 3,
    words_per_duty: int = 14,
    seed: int = 7,
) -> Provider:
    """Create a provider with ``domains`` x ``offerings`` cells and one duty per party."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    provider = Provider.objects.create(
        name=f"{slug.replace('-', ' ').title()} {domains}x{offerings}x{parties}",
        slug=slug,
        summary="Synthetic data.",
    )
    kinds = list(OfferingKind)
    offering_objs = Offering.objects.bulk_create(
        Offering(
            provider=provider,
            name=f"Offering {i + 1}",
            slug=f"offering-{i + 1}",
            kind=kinds[i % len(kinds)],
            position=i,
        )
        for i in range(offerings)
    )
    roles = [PartyRole.CUSTOMER, PartyRole.PROVIDER, PartyRole.CLOUD_PROVIDER]
    party_objs = Party.objects.bulk_create(
        Party(provider=provider, name=f"Party {i + 1}", role=roles[i % len(roles)], position=i)
        for i in range(parties)
    )
    domain_objs = ControlDomain.objects.bulk_create(
        ControlDomain(
            provider=provider,
            name=f"Domain {i + 1:03d}",
            slug=f"domain-{i + 1:03d}",
            description=_sentence(rng, 10),
            position=i,
        )
        for i in range(domains)
    )
    ownerships = list(Ownership)
    cells = Cell.objects.bulk_create(
        Cell(provider=provider, offering=o, domain=d, ownership=rng.choice(ownerships))
        for d in domain_objs
        for o in offering_objs
    )
    duties = []
    for cell in cells:
        for party in party_objs:
            text = _sentence(rng, words_per_duty)
            duties.append(Duty(cell=cell, party=party, text=text, text_html=render_markdown(text)))
    Duty.objects.bulk_create(duties, batch_size=2000)
    return provider
