"""Fixtures of the trust center's tests: a real webhook receiver on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.trust.webhook_receivers import Receiver, serving
from trust import tasks


@pytest.fixture
def allow_private(settings):
    """Loopback receivers allowed (and http://), as in development."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(allow_private) -> Iterator[Receiver]:
    with serving(Receiver()) as running:
        yield running


@pytest.fixture
def deliver_here(monkeypatch):
    """The delivery task runs in this process (with its retries, at once): the tests run in
    a transaction a worker could not see."""
    task = tasks.webhook_deliver
    monkeypatch.setattr(task, "delay", lambda *args: task.apply(args=args))
