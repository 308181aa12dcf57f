"""The home page's provider cards: what each says comes from the edition its reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from accounts.access import offerings_limit
from accounts.roles import Action
from matrices.models import Provider
from matrices.models.provider import OfferingKind, ServiceModel
from matrices.selectors.editions import default_which


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
    """What a home-page card says of a provider: the edition its reader sees by default.

    That is the latest published version; for a provider never published, the
    draft to those who may read it (``default_which``), and nothing to others.
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


def _default_which(user, provider: Provider) -> str | None:
    try:
        return default_which(user, provider)
    except Http404:
        return None  # nothing this reader may see yet


def provider_cards(providers: QuerySet[Provider], user) -> list[ProviderCard]:
    """A card per provider: two queries, the published parts read inside the database."""
    providers = list(providers)
    which = {provider.pk: _default_which(user, provider) for provider in providers}
    published = {
        row["pk"]: row
        for row in Provider.objects.filter(pk__in=[p.pk for p in providers]).values(
            "pk",
            published_offerings=F("published__snapshot__offerings"),
            published_parties=F("published__snapshot__parties"),
            published_domains=F("published__snapshot__domains"),
        )
    }
    drafts = [provider for provider in providers if which[provider.pk] == "draft"]
    prefetch_related_objects(drafts, "offerings", "parties", "domains")
    cards = []
    for provider in providers:
        offerings: list[dict] = []
        parties: list[dict] = []
        domains: list = []
        if which[provider.pk] == "latest":
            row = published[provider.pk]
            limit = offerings_limit(user, provider)
            offerings = [
                o for o in row["published_offerings"] if limit is None or o.get("id") in limit
            ]
            parties, domains = row["published_parties"], row["published_domains"]
        elif which[provider.pk] == "draft":
            offerings = [
                {"name": o.name, "slug": o.slug, "kind": o.kind, "service_model": o.service_model}
                for o in provider.offerings.all()
            ]
            parties = [{"name": party.name} for party in provider.parties.all()]
            domains = list(provider.domains.all())
        cards.append(
            ProviderCard(
                provider=provider,
                offerings=[_card_offering(provider, offering) for offering in offerings],
                parties=[party["name"] for party in parties],
                domain_count=len(domains),
            )
        )
    return cards
