"""Every write of matrix content goes through these functions (views, admin, commands)."""

from matrices.services.cells import DutyInput, cell_set
from matrices.services.errors import StaleVersion
from matrices.services.structure import (
    axis_delete,
    axis_delete_impact,
    axis_move,
    axis_update,
    domain_create,
    offering_create,
    party_create,
    provider_create,
    provider_delete,
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
    "offering_create",
    "party_create",
    "provider_create",
    "provider_delete",
]
