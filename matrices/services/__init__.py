"""Every write of matrix content goes through these functions (views, admin, commands)."""

from matrices.services.cells import DutyInput, cell_set
from matrices.services.structure import (
    domain_create,
    offering_create,
    party_create,
    provider_create,
)

__all__ = [
    "DutyInput",
    "cell_set",
    "domain_create",
    "offering_create",
    "party_create",
    "provider_create",
]
