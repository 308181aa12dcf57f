"""The calls to a webhook's URL: which addresses may be called, the signature, one POST.

A webhook URL is a request the portal makes on a provider admin's behalf, so it must not
reach what only the portal can reach (SSRF): the host must resolve to public addresses
only, and the connection goes to the address that was checked (pinned), never to a second
lookup an attacker's DNS could answer differently. TLS still checks the certificate for
the URL's host name (SNI and host name verification), and the ``Host`` header names it.
No redirect is followed. ``WEBHOOKS_ALLOW_PRIVATE`` lifts the address rule and allows
``http://``, for receivers on loopback in development and tests.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings

# The cloud providers' instance metadata service: refused even when private addresses are
# allowed (a test receiver never lives there, credentials do).
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
# What is kept of a receiver's answer, for the delivery log.
BODY_KEPT = 1024
CA_CERTS = certifi.where()
USER_AGENT = "SRM-Portal-Webhooks/1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The URL may not be called (its form, or the addresses its host resolves to)."""


class Unreachable(Exception):
    """The call failed (no such host, no connection, a timeout): it may work later."""


@dataclass(frozen=True)
class Target:
    """Where one call goes: the URL's parts and the one address checked for it."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


NAT64 = ipaddress.ip_network("64:ff9b::/96")
# RFC 8215: translated to whatever IPv4 network its operator chose, the inner ones included.
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# Deprecated IPv4-compatible addresses (::a.b.c.d); :: and ::1 are checked as themselves.
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded(ip: IPAddress) -> IPAddress | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64),
    if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(ip: IPAddress) -> str:
    """Why ``ip`` may not be called ("" when it may): not a public unicast address."""
    if ip in METADATA:
        return "the cloud metadata address"
    inner = _embedded(ip)
    if inner is not None:
        why = address_refusal(inner)
        return f"{why} (inside an IPv6 address)" if why else ""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return ""
    for test, what in (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (getattr(ip, "is_site_local", False), "a site-local address"),
        (ip in NAT64_LOCAL, "a local-use NAT64 address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a non-public address"),
    ):
        if test:
            return what
    return ""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise Unreachable(f"{host} could not be resolved.") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def url_refusal(url: str) -> str:
    """Why ``url`` is no webhook URL by its form alone ("" when it may be one)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError on a port out of range)
    except ValueError:
        return "That is not a URL."
    schemes = ("https", "http") if settings.WEBHOOKS_ALLOW_PRIVATE else ("https",)
    if parts.scheme not in schemes:
        return "Use an https:// URL."
    if parts.username is not None or parts.password is not None:
        return "Leave credentials out of the URL: the signature authenticates each delivery."
    if not parts.hostname:
        return "The URL names no host."
    if "%" in parts.hostname:
        return "An IPv6 zone is not allowed in the URL."
    return ""


def target_for(url: str) -> Target:
    """Check ``url`` and the addresses of its host now; the Target pins the first one.

    Raises ``Refused`` for a URL that may not be called and ``Unreachable`` when its host
    cannot be resolved.
    """
    why = url_refusal(url)
    if why:
        raise Refused(why)
    parts = urlsplit(url)
    host = parts.hostname.rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not addresses:
        raise Unreachable(f"{host} could not be resolved.")
    for address in addresses:
        why = address_refusal(ipaddress.ip_address(address.split("%")[0]))
        if why:
            raise Refused(f"{host} resolves to {address}, {why}: webhooks call public addresses.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, addresses[0])


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-SRM-Signature`` header: ``t=<unix time>,v1=<hex HMAC-SHA256>`` of
    ``"<t>.<body>"`` keyed with the webhook's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def post(target: Target, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to the target's pinned address; the answer's first ``BODY_KEPT`` bytes.

    Raises ``Unreachable`` when no answer came (connection, TLS, timeout).
    """
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=CA_CERTS,
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, **options)
    headers = {
        **headers,
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    try:
        with pool:
            response = pool.urlopen(
                "POST",
                target.path,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                kept = response.read(BODY_KEPT, decode_content=False)
            finally:
                response.release_conn()
                response.close()
    except urllib3.exceptions.HTTPError as exc:
        raise Unreachable(_reason(exc)) from exc
    return Answer(response.status, kept.decode("utf-8", "replace"))


def _reason(exc: Exception) -> str:
    """A short reason for the log, without the URL (it may carry a token in its query)."""
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return "No answer in time."
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "The TLS handshake failed (the certificate does not match or is not trusted)."
    if isinstance(exc, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ProtocolError):
        return "The connection failed."
    return f"The call failed ({type(exc).__name__})."
