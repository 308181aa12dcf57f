"""How often one address (IP) may ask for subscriptions: the form and the API share the count.

A DRF throttle, which the API lists in ``throttle_classes`` and the form's view asks
directly (``allow_request`` reads nothing of the request but its address). Counts live in
the cache, shared by every web process where the cache is Redis.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.context import client_ip


class SubscribeRate(SimpleRateThrottle):
    """``TRUST_SUBSCRIPTIONS_PER_HOUR`` subscription requests per IP address."""

    scope = "trust-subscribe"

    def __init__(self) -> None:  # the rate is read per request, not once at import
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str:
        return f"{settings.TRUST_SUBSCRIPTIONS_PER_HOUR}/hour"

    def get_cache_key(self, request, view) -> str:
        ident = client_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}
