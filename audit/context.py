"""Who is acting and from where, for the audit records written during a request or a job.

The middleware sets it for web requests (request id, client IP, user);
management commands and Celery tasks name themselves with ``acting_as``.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class AuditContext:
    request_id: str = ""
    ip: str | None = None
    user: object | None = None  # the request's user (lazy), if any
    label: str = "system"  # for non-web actors: "command:loaddemo", "task:render_pdf"


_SYSTEM = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current() -> AuditContext:
    return _current.get() or _SYSTEM


@contextmanager
def acting_as(label: str, *, user=None) -> Iterator[AuditContext]:
    """Attribute the audit records written inside the block to ``label`` (or ``user``)."""
    context = AuditContext(request_id=uuid.uuid4().hex, label=label, user=user)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address they saw."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class AuditContextMiddleware:
    """Gives each request an id (kept from a sane X-Request-ID header) and records its IP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(
            AuditContext(request_id=request_id, ip=client_ip(request), user=request.user)
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response
