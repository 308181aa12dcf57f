"""Creating a provider and the axes of its matrix."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from matrices.models import ControlDomain, Offering, Party, Provider, SourceDocument


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def provider_create(
    *,
    name: str,
    slug: str,
    website: str = "",
    summary: str = "",
    is_template: bool = False,
    sources: Iterable[tuple[str, str]] = (),
) -> Provider:
    """Create a provider with its source documents as (title, url) pairs."""
    provider = Provider(
        name=name, slug=slug, website=website, summary=summary, is_template=is_template
    )
    provider.full_clean()
    provider.save()
    for position, (title, url) in enumerate(sources):
        source = SourceDocument(provider=provider, title=title, url=url, position=position)
        source.full_clean()
        source.save()
    return provider


@transaction.atomic
def offering_create(
    *,
    provider: Provider,
    name: str,
    slug: str,
    kind: str,
    service_model: str = "",
    description: str = "",
) -> Offering:
    offering = Offering(
        provider=provider,
        name=name,
        slug=slug,
        kind=kind,
        service_model=service_model,
        description=description,
        position=_next_position(provider.offerings.all()),
    )
    offering.full_clean()
    offering.save()
    return offering


@transaction.atomic
def party_create(*, provider: Provider, name: str, role: str) -> Party:
    party = Party(
        provider=provider, name=name, role=role, position=_next_position(provider.parties.all())
    )
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def domain_create(
    *, provider: Provider, name: str, slug: str, description: str = "", category: str = ""
) -> ControlDomain:
    domain = ControlDomain(
        provider=provider,
        name=name,
        slug=slug,
        description=description,
        category=category,
        position=_next_position(provider.domains.all()),
    )
    domain.full_clean()
    domain.save()
    return domain
