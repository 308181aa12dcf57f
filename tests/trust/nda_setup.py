"""What the NDA tests share: a private provider with an NDA, and an outside reader given
access to it through the grant service, as an approval would."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Visibility
from matrices.models import Provider
from trust.grants import grant_create
from trust.models import AccessGrant, Nda
from trust.nda import nda_publish

TERMS = "# Confidentiality\n\nYou keep **everything** you read here to yourself."


def private(slug: str = "singlestore") -> Provider:
    Provider.objects.filter(slug=slug).update(visibility=Visibility.PRIVATE)
    return Provider.objects.get(slug=slug)


def publish_nda(provider: Provider, actor, body: str = TERMS) -> Nda:
    return nda_publish(actor=actor, provider=provider, body=body, reason="counsel's text")


def reader_with_grant(provider: Provider, username: str = "reader") -> AccessGrant:
    """A new account given read access for a week, for Acme (no role of its own)."""
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@acme.example",
        password="x-Pass-12345",
        first_name="Rita",
        last_name="Reader",
    )
    return grant_create(
        actor=None,
        provider=provider,
        user=user,
        expires_at=timezone.now() + timedelta(days=7),
        company="Acme Corp",
    )
