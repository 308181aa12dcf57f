"""Fixtures of the service tests."""

from __future__ import annotations

import pytest

from matrices.models import Provider
from matrices.services import party_create, provider_create


@pytest.fixture
def acme(db) -> Provider:
    """A provider with one party (the customer) and nothing else, made by the system."""
    provider = provider_create(name="Acme", slug="acme", sources=[("Doc", "https://acme.test/")])
    party_create(provider=provider, name="Customer", role="customer")
    return provider
