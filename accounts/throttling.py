"""How often a client may do something: call the API (per visitor IP, per account, and
stricter scopes), fail a token, or use one of the public forms (per IP, the form and its
API endpoint sharing one count). The one place that counts requests.

Rates come from settings read at each request (``API_THROTTLE_RATES``, or the form's own
setting), so the environment and the tests can change them. Beyond a rate the API answers
429 with ``Retry-After`` and the usual error body; the forms answer 429 too. Counts live
in the cache, shared by every web process where the cache is Redis.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.context import client_ip


class _Rate(SimpleRateThrottle):
    """A throttle whose rate is ``API_THROTTLE_RATES[scope]``, read when it is asked, and
    whose clients are told apart by the address the audit log records."""

    def __init__(self) -> None:  # the rate is read per request, not once at import
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"

    # For a check and a count made apart (a view that counts only what it did), where DRF's
    # ``allow_request`` does both at once.
    def blocked_for(self, request) -> float | None:
        """Seconds before this client may try again, or None if it may now."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return self.wait() if len(self.history) >= self.num_requests else None

    def record(self, request) -> None:
        """Count one request of this client."""
        self.blocked_for(request)
        self.throttle_success()


class _PerAddress(_Rate):
    """Counted per IP address, whoever is signed in."""

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AnonymousRate(_Rate):
    """Visitors without an account or token, per IP address."""

    scope = "anonymous"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRate(_Rate):
    """Signed-in users and tokens, per account."""

    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class _ScopedRate(_Rate):
    """A stricter rate for one kind of costly request, per account (or IP for visitors)."""

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ImportRate(_ScopedRate):
    """Imports parse and compare whole matrices."""

    scope = "import"


class PdfRate(_ScopedRate):
    """Asking for a PDF may start a rendering."""

    scope = "pdf"


class FailedTokenRate(_PerAddress):
    """Failed token authentications, per IP address: guessing tokens is slowed down.

    Not a view throttle (DRF checks those after authentication): the token
    authentication checks ``blocked_for`` and counts its failures with ``record``.
    """

    scope = "failed-token"


class _PerHour(_PerAddress):
    """``settings.<setting>`` requests an hour per IP address."""

    setting = ""

    def get_rate(self) -> str:
        return f"{getattr(settings, self.setting)}/hour"


class AccessRequestRate(_PerHour):
    """Trust-center access requests made (the form counts only those it sends on)."""

    scope = "trust-request"
    setting = "TRUST_REQUESTS_PER_HOUR"


class SubscribeRate(_PerHour):
    """Subscription requests, by the form and the API alike."""

    scope = "trust-subscribe"
    setting = "TRUST_SUBSCRIPTIONS_PER_HOUR"
