"""Builders of test data, and the one description of "nothing changed" every refusal test uses.

Everything is made through the services, as the portal makes it, so the audit
log and the database constraints see exactly what production would.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.models import ApiToken, Invitation
from audit.models import AuditChainHead
from matrices.models import Cell, ControlDomain, MatrixVersion, Offering, Party, Provider
from matrices.services import (
    DutyInput,
    cell_set,
    domain_create,
    draft_approve,
    draft_submit,
    offering_create,
    party_create,
    provider_create,
)
from matrices.snapshot import snapshot_build, snapshot_hash
from trust.models import (
    AccessGrant,
    AccessRequest,
    Nda,
    NdaAcceptance,
    Subscription,
    TrustCenter,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)


def small_provider(slug: str, *, published: bool = True) -> Provider:
    """A one-cell provider (offering "hosted", domain "keys", a customer), made by the system."""
    provider = provider_create(name=slug.replace("-", " ").title(), slug=slug)
    offering = offering_create(provider=provider, name="Hosted", slug="hosted", kind="managed")
    domain = domain_create(provider=provider, name="Keys", slug="keys")
    party = party_create(provider=provider, name="Customer", role="customer")
    cell_set(
        actor=None,
        offering=offering,
        domain=domain,
        ownership="customer",
        duties={party: [DutyInput(text="Rotate the keys every year.")]},
    )
    if published:
        publish(provider)
    return provider


def customer_duty_set(
    actor,
    text: str,
    *,
    provider: str = "singlestore",
    offering: str = "helios",
    domain: str = "compliance",
    ownership: str = "customer",
) -> Cell:
    """Make ``text`` the customer's one duty in a cell of the draft, as ``actor`` would."""
    cell = Cell.objects.get(provider__slug=provider, offering__slug=offering, domain__slug=domain)
    return cell_set(
        actor=actor,
        offering=cell.offering,
        domain=cell.domain,
        ownership=ownership,
        expected_version=cell.version,
        duties={cell.provider.parties.get(role="customer"): [DutyInput(text=text)]},
    )


def publish(provider: Provider, summary: str = "Test publication.") -> MatrixVersion:
    """Publish the provider's draft as the system would (a management command)."""
    submission = draft_submit(actor=None, provider=provider, summary=summary)
    version = draft_approve(
        actor=None, submission=submission, expected_hash=submission.snapshot_hash
    )
    provider.refresh_from_db()
    return version


def submit(users, provider: Provider, who: str = "editor"):
    """The draft submitted for review by one of the named ``users``."""
    return draft_submit(actor=users[who], provider=provider, summary="Clarified compliance.")


def matrix_without_ids(snapshot: dict) -> dict:
    """The snapshot without its provider and ids: axes by slug or name, in order."""
    offerings = {o["id"]: o["slug"] for o in snapshot["offerings"]}
    domains = {d["id"]: d["slug"] for d in snapshot["domains"]}
    parties = {p["id"]: p["name"] for p in snapshot["parties"]}
    return {
        "offerings": [{k: v for k, v in o.items() if k != "id"} for o in snapshot["offerings"]],
        "parties": [{k: v for k, v in p.items() if k != "id"} for p in snapshot["parties"]],
        "domains": [{k: v for k, v in d.items() if k != "id"} for d in snapshot["domains"]],
        "cells": [
            {
                "offering": offerings[c["offering"]],
                "domain": domains[c["domain"]],
                "ownership": c["ownership"],
                "duties": [{**d, "party": parties[d["party"]]} for d in c["duties"]],
            }
            for c in snapshot["cells"]
        ],
    }


def webhook_with_delivery(provider: Provider) -> WebhookDelivery:
    """An active webhook of ``provider`` (to a public address given as such, so no name is
    looked up) with one failed delivery in its log; rows made directly: nothing is sent."""
    webhook = Webhook.objects.create(
        provider=provider,
        url=PUBLIC_HOOK,
        secret="s" * 43,
        events=[WebhookEvent.VERSION_PUBLISHED],
    )
    return WebhookDelivery.objects.create(
        webhook=webhook,
        event=WebhookEvent.PING,
        payload={"event": "ping"},
        status=WebhookDelivery.Status.FAILED,
        attempts=1,
        error="The connection failed.",
    )


# A webhook URL the SSRF rules accept without a DNS lookup (example.com's address).
PUBLIC_HOOK = "https://93.184.215.14/srm"


def draft_hash(provider: Provider | str) -> str:
    """The SHA-256 of the provider's draft as it is now (its canonical snapshot)."""
    if isinstance(provider, str):
        provider = Provider.objects.get(slug=provider)
    return snapshot_hash(snapshot_build(provider))


def state() -> dict:
    """What a refused or failed write must leave as it was.

    Every provider's draft (by snapshot hash) and published versions, the
    audit log's head, the version of every versioned row (a bump without a
    content change is a change too), the API tokens, the invitations, the accounts, and the
    trust center's records (settings, requests, grants, NDAs and their acceptances,
    subscriptions, webhooks and their deliveries).
    """
    head = AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    return {
        "drafts": {provider.slug: draft_hash(provider) for provider in Provider.objects.all()},
        "providers": list(
            Provider.objects.order_by("pk").values_list("pk", "version", "visibility")
        ),
        "versions": list(MatrixVersion.objects.order_by("pk").values_list("pk", "snapshot_hash")),
        "audit": head,
        "rows": [
            list(model.objects.order_by("pk").values_list("pk", "version"))
            for model in (Offering, Party, ControlDomain, Cell)
        ],
        "tokens": list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        "users": list(
            get_user_model()
            .objects.order_by("pk")
            .values_list("pk", "username", "email", "is_active", "is_superuser", "password")
        ),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "digest", "expires_at", "revoked_at", "accepted_at"
            )
        ),
        "trust": trust_state(),
    }


def trust_state() -> dict:
    """The trust center's records, each by the fields a write would change."""
    fields = {
        TrustCenter: ("enabled", "introduction", "default_days", "auto_approve_domains"),
        AccessRequest: ("status", "digest", "confirmed_at", "decided_at", "user", "reason"),
        AccessGrant: ("expires_at", "ended_at", "reminded_at"),
        Nda: ("number", "sha256"),
        NdaAcceptance: ("nda", "user", "sha256"),
        Subscription: ("email", "digest", "user", "confirmed_at", "unsubscribed_at"),
        Webhook: ("url", "secret", "events", "active"),
        WebhookDelivery: ("webhook", "status", "attempts"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", *names))
        for model, names in fields.items()
    }
