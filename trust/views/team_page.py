"""What every team page of the trust center shares (``/providers/<slug>/trust/...``): the
provider page's context, the section shown (named in the header, the breadcrumbs and the
section links), and the trust center itself (its header warns while it is off)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from matrices.models import Provider
from matrices.views.provider_page import provider_page
from trust.centers import trust_center_of

# Each section's heading; templates/trust/_team_nav.html links them in this order.
SECTIONS = {
    "settings": "Settings",
    "requests": "Access requests",
    "readers": "Readers",
    "nda": "Non-disclosure agreement",
    "analytics": "Analytics",
    "subscribers": "Subscribers",
    "webhooks": "Webhooks",
}


def trust_team_page(
    request: HttpRequest, provider: Provider, section: str, **extra: Any
) -> dict[str, Any]:
    """The context of the team's page ``section`` (a key of ``SECTIONS``)."""
    return provider_page(
        request,
        provider,
        "trust",
        section=section,
        section_label=SECTIONS[section],
        center=trust_center_of(provider),
        **extra,
    )
