from matrices.views.browse import (
    compare,
    customer_checklist,
    home,
    offering_detail,
    provider_matrix,
    search,
)

__all__ = [
    "compare",
    "customer_checklist",
    "home",
    "offering_detail",
    "provider_matrix",
    "search",
]
