"""The provider's NDA: which version is current, and whether a reader has accepted it."""

from __future__ import annotations

from trust.models import Nda, NdaAcceptance


def nda_current(provider) -> Nda | None:
    """The provider's latest NDA version, or None when it has none."""
    return Nda.objects.filter(provider=provider).order_by("-number").first()


def nda_pending(provider, user) -> bool:
    """Whether ``user`` must accept the provider's current NDA before reading it."""
    current = nda_current(provider)
    return current is not None and not NdaAcceptance.objects.filter(nda=current, user=user).exists()
