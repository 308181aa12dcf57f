"""Webhooks call public addresses only (SSRF): checked when a webhook is saved and again at
each delivery, with the connection pinned to the address checked."""

from __future__ import annotations

import ipaddress
import ssl

import pytest
from django.core.exceptions import ValidationError

from matrices.models import Provider
from tests.trust.webhook_receivers import Receiver, certificate, serving, verify
from trust import webhook_http
from trust.models import Webhook, WebhookDelivery
from trust.webhook_http import address_refusal
from trust.webhooks import webhook_create, webhook_ping, webhook_update

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"


@pytest.fixture
def no_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.fixture
def dns(monkeypatch):
    """Names resolve to what the test says (``dns["hooks.example.com"] = [...]``); IP
    literals and names not listed resolve as usual."""
    answers: dict[str, list[str]] = {}
    real = webhook_http.resolve

    def resolve(host: str, port: int) -> list[str]:
        return answers[host] if host in answers else real(host, port)

    monkeypatch.setattr(webhook_http, "resolve", resolve)
    return answers


def create(users, url: str) -> Webhook:
    return webhook_create(
        actor=users["admin"],
        provider=Provider.objects.get(slug="singlestore"),
        url=url,
        events=["version.published"],
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://127.0.0.1/hook", "a loopback address"),
        ("https://127.1.2.3:8443/hook", "a loopback address"),
        ("https://10.0.0.5/hook", "a private address"),
        ("https://192.168.1.20/hook", "a private address"),
        ("https://172.16.0.1/hook", "a private address"),
        ("https://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
        ("https://169.254.10.10/", "a link-local address"),
        ("https://[::1]/hook", "a loopback address"),
        ("https://[::ffff:127.0.0.1]/hook", "a loopback address (inside an IPv6 address)"),
        ("https://[::ffff:169.254.169.254]/", "the cloud metadata address (inside"),
        ("https://[2002:7f00:1::]/hook", "a loopback address (inside an IPv6 address)"),
        ("https://[64:ff9b::a00:1]/hook", "a private address (inside an IPv6 address)"),
        ("https://[fe80::1]/hook", "a link-local address"),
        ("https://[fc00::1]/hook", "a private address"),
        ("https://0.0.0.0/hook", "an unspecified address"),
        ("https://224.0.0.1/hook", "a multicast address"),
        ("https://240.0.0.1/hook", "a reserved address"),
        ("https://100.64.0.1/hook", "a non-public address"),
        ("https://localhost/hook", "a loopback address"),
        # IPv4-compatible (deprecated ::/96), the local-use NAT64 prefix (RFC 8215), and
        # site-local (deprecated fec0::/10): Python's is_global calls all three public.
        ("https://[::127.0.0.1]/hook", "a loopback address (inside an IPv6 address)"),
        ("https://[::10.0.0.1]/hook", "a private address (inside an IPv6 address)"),
        ("https://[64:ff9b:1::a00:1]/hook", "a local-use NAT64 address"),
        ("https://[fec0::1]/hook", "a site-local address"),
    ],
)
def test_it_refuses_a_non_public_address_when_saved(users, no_private, url, why):
    with pytest.raises(ValidationError) as refused:
        create(users, url)
    assert why in refused.value.message_dict["url"][0]
    assert not Webhook.objects.exists()


def test_it_refuses_a_name_resolving_to_a_private_address(users, no_private, dns):
    dns["hooks.example.com"] = [PUBLIC, "10.1.2.3"]  # one private answer is enough
    with pytest.raises(ValidationError, match=r"resolves to 10\.1\.2\.3, a private address"):
        create(users, "https://hooks.example.com/srm")


def test_it_accepts_a_name_resolving_to_public_addresses(users, no_private, dns):
    dns["hooks.example.com"] = [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    webhook = create(users, "https://hooks.example.com/srm")
    assert webhook.url == "https://hooks.example.com/srm"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/srm", "Use an https:// URL."),
        ("ftp://hooks.example.com/srm", "Use an https:// URL."),
        ("https://user:pass@hooks.example.com/srm", "Leave credentials out of the URL"),
        ("https://token@hooks.example.com/srm", "Leave credentials out of the URL"),
    ],
)
def test_it_refuses_a_url_of_the_wrong_form(users, no_private, dns, url, why):
    dns["hooks.example.com"] = [PUBLIC]
    with pytest.raises(ValidationError) as refused:
        create(users, url)
    assert why in " ".join(refused.value.messages)


def test_it_refuses_a_name_that_does_not_resolve(users, no_private, dns):
    dns["nowhere.example.com"] = []
    with pytest.raises(ValidationError, match="could not be resolved"):
        create(users, "https://nowhere.example.com/srm")


def test_a_change_of_url_is_checked_too(users, no_private, dns):
    dns["hooks.example.com"] = [PUBLIC]
    webhook = create(users, "https://hooks.example.com/srm")
    with pytest.raises(ValidationError, match="a loopback address"):
        webhook_update(actor=users["admin"], webhook=webhook, url="https://127.0.0.1/")
    webhook.refresh_from_db()
    assert webhook.url == "https://hooks.example.com/srm"


def test_the_setting_allows_loopback_and_http_but_never_the_metadata_address(users, allow_private):
    assert create(users, "http://127.0.0.1:9/hook").url == "http://127.0.0.1:9/hook"
    with pytest.raises(ValidationError, match="metadata"):
        create(users, "http://169.254.169.254/latest/")


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "::1", "::ffff:10.0.0.1", "fd00::1", "169.254.169.254", "0.0.0.0"],  # noqa: S104,
)
def test_every_private_form_is_refused(no_private, address):
    assert address_refusal(ipaddress.ip_address(address)) != ""


@pytest.mark.parametrize("address", [PUBLIC, "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(no_private, address):
    assert address_refusal(ipaddress.ip_address(address)) == ""


# At delivery ------------------------------------------------------------------------------


def test_a_name_rebound_to_loopback_after_saving_is_refused_at_delivery(
    users, no_private, dns, deliver_here, django_capture_on_commit_callbacks
):
    """DNS rebinding: public when saved, loopback when sent. Nothing reaches the receiver
    listening on that loopback port."""
    with serving(Receiver()) as listening:
        dns["hooks.example.com"] = [PUBLIC]
        webhook = create(users, f"https://hooks.example.com:{listening.port}/srm")
        dns["hooks.example.com"] = ["127.0.0.1"]
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert listening.requests == []
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, None)
    assert "Not sent: hooks.example.com resolves to 127.0.0.1, a loopback address" in (
        delivery.error
    )


def test_a_url_refused_since_it_was_saved_is_not_sent(
    users, receiver, dns, settings, deliver_here, django_capture_on_commit_callbacks
):
    webhook = create(users, receiver.url())
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # e.g. the setting turned off after the test
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert delivery.status == "failed"
    assert "Use an https:// URL." in delivery.error


def test_the_connection_goes_to_the_address_checked_with_the_url_s_host_header(
    users, receiver, dns, deliver_here, django_capture_on_commit_callbacks
):
    """hooks.example.test resolves (here) to 127.0.0.1 once, when checked; the request
    reaches the receiver there, naming the host the URL names."""
    dns["hooks.example.test"] = ["127.0.0.1"]
    webhook = create(users, receiver.url(host="hooks.example.test", path="/srm?team=7"))
    with django_capture_on_commit_callbacks(execute=True):
        webhook_ping(actor=users["admin"], webhook=webhook)
    request = receiver.requests[0]
    assert request.path == "/srm?team=7"
    assert request.headers["Host"] == f"hooks.example.test:{receiver.port}"
    assert verify(webhook.secret, request.headers["X-SRM-Signature"], request.body)


def _tls_receiver(tmp_path, name: str) -> tuple[Receiver, ssl.SSLContext, str]:
    cert, key = certificate(tmp_path, name)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return Receiver(), context, str(cert)


def test_https_is_pinned_and_checks_the_certificate_of_the_url_s_host(
    users,
    allow_private,
    dns,
    tmp_path,
    monkeypatch,
    deliver_here,
    django_capture_on_commit_callbacks,
):
    """TLS to the pinned address still sends the URL's host name (SNI) and checks that the
    certificate is for it."""
    running, context, ca = _tls_receiver(tmp_path, "hooks.example.test")
    monkeypatch.setattr(webhook_http, "CA_CERTS", ca)
    dns["hooks.example.test"] = ["127.0.0.1"]
    with serving(running, tls=context):
        webhook = create(users, running.url(host="hooks.example.test"))
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert delivery.status == "delivered", delivery.error
    assert running.requests[0].headers["Host"] == f"hooks.example.test:{running.port}"


def test_https_refuses_a_certificate_for_another_name(
    users,
    allow_private,
    dns,
    tmp_path,
    monkeypatch,
    settings,
    deliver_here,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    running, context, ca = _tls_receiver(tmp_path, "other.example.test")
    monkeypatch.setattr(webhook_http, "CA_CERTS", ca)
    dns["hooks.example.test"] = ["127.0.0.1"]
    with serving(running, tls=context):
        webhook = create(users, running.url(host="hooks.example.test"))
        with django_capture_on_commit_callbacks(execute=True):
            delivery = webhook_ping(actor=users["admin"], webhook=webhook)
    delivery.refresh_from_db()
    assert running.requests == []
    assert delivery.status == "failed"
    assert delivery.error.startswith("The TLS handshake failed")
    assert WebhookDelivery.objects.count() == 1
