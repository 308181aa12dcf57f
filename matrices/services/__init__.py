"""Every write of matrix content goes through these functions (views, API, admin, commands).

Reads live in ``matrices.selectors``; a service may call a selector, never
the other way round.
"""

from matrices.services.axes import (
    axis_delete,
    axis_move,
    axis_update,
    domain_create,
    offering_create,
    party_create,
)
from matrices.services.cells import DutyInput, cell_delete, cell_set
from matrices.services.errors import StaleDraft, StaleVersion
from matrices.services.onboarding import provider_create_from
from matrices.services.providers import provider_create, provider_delete, provider_set_visibility
from matrices.services.publishing import draft_approve, draft_return, draft_submit, draft_withdraw

__all__ = [
    "DutyInput",
    "StaleDraft",
    "StaleVersion",
    "axis_delete",
    "axis_move",
    "axis_update",
    "cell_delete",
    "cell_set",
    "domain_create",
    "draft_approve",
    "draft_return",
    "draft_submit",
    "draft_withdraw",
    "offering_create",
    "party_create",
    "provider_create",
    "provider_create_from",
    "provider_delete",
    "provider_set_visibility",
]
