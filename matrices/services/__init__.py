"""Every write of matrix content goes through these functions (views, admin, commands)."""

from matrices.services.cells import DutyInput, cell_set
from matrices.services.errors import StaleVersion
from matrices.services.onboarding import provider_create_from
from matrices.services.publishing import (
    draft_approve,
    draft_authors,
    draft_return,
    draft_submit,
    draft_withdraw,
)
from matrices.services.structure import (
    axis_delete,
    axis_delete_impact,
    axis_move,
    axis_update,
    domain_create,
    may_create_providers,
    offering_create,
    party_create,
    provider_create,
    provider_delete,
    provider_set_visibility,
)

__all__ = [
    "DutyInput",
    "StaleVersion",
    "axis_delete",
    "axis_delete_impact",
    "axis_move",
    "axis_update",
    "cell_set",
    "domain_create",
    "draft_approve",
    "draft_authors",
    "draft_return",
    "draft_submit",
    "draft_withdraw",
    "may_create_providers",
    "offering_create",
    "party_create",
    "provider_create",
    "provider_create_from",
    "provider_delete",
    "provider_set_visibility",
]
