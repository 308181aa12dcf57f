"""Loading the hand-written demo providers through the service layer."""

from __future__ import annotations

import importlib

from django.db import transaction

from matrices.demo.schema import DutyItem, ProviderSpec
from matrices.models import Provider
from matrices.services import (
    DutyInput,
    cell_set,
    domain_create,
    draft_approve,
    draft_submit,
    offering_create,
    party_create,
    provider_create,
    provider_delete,
)

DEMO_MODULES = ("singlestore", "clickhouse", "astronomer", "template")


def demo_specs() -> list[ProviderSpec]:
    return [importlib.import_module(f"matrices.demo.data.{name}").PROVIDER for name in DEMO_MODULES]


def _duty_input(item: DutyItem) -> DutyInput:
    if isinstance(item, str):
        return DutyInput(text=item)
    return DutyInput.from_dict({**item, "not_applicable": item.get("na", False)})


@transaction.atomic
def demo_provider_load(spec: ProviderSpec) -> Provider:
    """Create one demo provider and its whole matrix; all or nothing."""
    provider = provider_create(
        name=spec["name"],
        slug=spec["slug"],
        website=spec["website"],
        summary=spec["summary"],
        is_template=spec.get("is_template", False),
        sources=[(source["title"], source["url"]) for source in spec["sources"]],
    )
    parties = {
        party["name"]: party_create(provider=provider, name=party["name"], role=party["role"])
        for party in spec["parties"]
    }
    offerings = {
        offering["slug"]: offering_create(provider=provider, **offering)
        for offering in spec["offerings"]
    }
    for domain_spec in spec["domains"]:
        domain = domain_create(
            provider=provider,
            name=domain_spec["name"],
            slug=domain_spec["slug"],
            description=domain_spec["description"],
            category=domain_spec["category"],
        )
        for offering_slug, cell in domain_spec["cells"].items():
            cell_set(
                actor=None,
                offering=offerings[offering_slug],
                domain=domain,
                ownership=cell["ownership"],
                duties={
                    parties[name]: [_duty_input(item) for item in items]
                    for name, items in cell["duties"].items()
                },
            )
    return provider


def demo_load(*, reset: bool = False) -> list[tuple[str, str]]:
    """Load every demo provider that is not there yet; returns (name, outcome) pairs.

    A provider whose slug already exists is left alone, so running this twice
    changes nothing and never overwrites edits made in the portal. With
    ``reset`` the demo providers are deleted and loaded afresh. Everything is
    written through the services, so the audit log records it.
    """
    outcomes = []
    for spec in demo_specs():
        with transaction.atomic():
            existing = Provider.objects.filter(slug=spec["slug"])
            if existing.exists() and not reset:
                outcomes.append((spec["name"], "already present, left unchanged"))
                continue
            for provider in existing:
                provider_delete(provider=provider, reason="loaddemo --reset")
            demo_provider_load(spec)
            outcomes.append((spec["name"], "reloaded" if reset else "loaded"))
    return outcomes


def demo_publish(*, approver=None) -> list[tuple[str, str]]:
    """Publish a first version of every demo provider that has none.

    The content was written by the loading command, so any approver may
    approve it (``approver=None``: the command approves it itself, which only
    happens without demo accounts, e.g. in production).
    """
    outcomes = []
    slugs = [spec["slug"] for spec in demo_specs()]
    for provider in Provider.objects.filter(slug__in=slugs, published__isnull=True):
        with transaction.atomic():
            sources = "; ".join(provider.sources.values_list("title", flat=True))
            submission = draft_submit(
                actor=None,
                provider=provider,
                summary=f"First version, transcribed in our own words from: {sources}.",
            )
            version = draft_approve(
                actor=approver, submission=submission, expected_hash=submission.snapshot_hash
            )
        label = approver.get_username() if approver else "the loading command"
        outcomes.append((provider.name, f"version {version.number} published, approved by {label}"))
    return outcomes
