"""What the subscription tests share: a provider whose second version moves a duty to the
customer, and the steps a subscriber takes through the real SMTP server."""

from __future__ import annotations

import email
import email.policy
import mailbox
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from matrices.models import Cell, Provider
from matrices.services import (
    DutyInput,
    cell_set,
    domain_create,
    offering_create,
    party_create,
    provider_create,
)
from tests.factories import publish
from trust import tasks


@pytest.fixture
def sending(tasks_in_process, monkeypatch):
    """Publications send ``version_published`` at once, and the notice task runs here."""
    task = tasks.subscribers_notify
    monkeypatch.setattr(task, "delay", lambda *args: task.apply(args=args))


def acme(slug: str = "acme", *, published: bool = True) -> Provider:
    """Version 1 of a provider: Keys and Logs provider-owned, Backups shared."""
    provider = provider_create(name=slug.title(), slug=slug)
    hosted = offering_create(provider=provider, name="Hosted", slug="hosted", kind="managed")
    customer = party_create(provider=provider, name="Customer", role="customer")
    vendor = party_create(provider=provider, name="Acme", role="provider")
    for name, ownership, text in (
        ("Keys", "provider", "Acme rotates the keys."),
        ("Logs", "provider", "Acme keeps the logs for a year."),
        ("Backups", "shared", "Acme backs up daily."),
    ):
        domain = domain_create(provider=provider, name=name, slug=name.lower())
        cell_set(
            actor=None,
            offering=hosted,
            domain=domain,
            ownership=ownership,
            duties={vendor: [DutyInput(text=text)]}
            | ({customer: [DutyInput(text="Restore tests.")]} if ownership == "shared" else {}),
        )
    if published:
        publish(provider, summary="First version.")
    return provider


def acme_second_version(provider: Provider):
    """Version 2: the keys move to the customer; the logs are reworded (stays the provider's)."""
    customer = provider.parties.get(role="customer")
    vendor = provider.parties.get(role="provider")
    keys = Cell.objects.get(provider=provider, domain__slug="keys")
    cell_set(
        actor=None,
        offering=keys.offering,
        domain=keys.domain,
        ownership="customer",
        expected_version=keys.version,
        duties={customer: [DutyInput(text="Rotate the keys every year.")]},
    )
    logs = Cell.objects.get(provider=provider, domain__slug="logs")
    cell_set(
        actor=None,
        offering=logs.offering,
        domain=logs.domain,
        ownership="provider",
        expected_version=logs.version,
        duties={vendor: [DutyInput(text="Acme keeps the logs for two years.")]},
    )
    return publish(provider, summary="Keys are now yours to rotate.")


def subscribe(client, slug: str, email: str = "", **extra):
    data = {"email": email, "website": "", **extra}
    return client.post(reverse("trust:subscribe", args=[slug]), data)


def delivered(mail, to: str, count: int = 1) -> list[email.message.EmailMessage]:
    """The messages to ``to`` in the order they were delivered (the Date header says only the
    second), once ``count`` arrived."""
    mail.wait_for(to, count)
    box = mailbox.Maildir(mail.maildir, factory=None)
    found = []
    for key in box.iterkeys():
        message = box.get_message(key)
        parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
        if to.lower() in parsed.get("To", "").lower():
            found.append((message.get_date(), key, parsed))
    return [parsed for _date, _key, parsed in sorted(found, key=lambda f: f[:2])]


def link(mail, to: str, part: str) -> str:
    """The path of the link containing ``part`` in the latest message to ``to``."""
    message = delivered(mail, to)[-1]
    found = [url for url in mail.links(message) if part in url]
    assert found, mail.text(message)
    return urlsplit(found[0]).path


def confirm(client, mail, to: str) -> None:
    """Open the latest confirmation link sent to ``to`` and press its button."""
    path = link(mail, to, "/confirm/")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
