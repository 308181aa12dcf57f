"""Celery is wired: eager without a broker, through the broker and a worker with one."""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings

from portal.celery import ping


def test_tasks_run_eagerly_exactly_when_no_broker_is_configured():
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)


def test_a_task_round_trips_through_the_configured_broker():
    # With CELERY_BROKER_URL set (CI's PostgreSQL run) this needs a live worker;
    # REQUIRE_WORKER=1 makes sure that run really went through one.
    if os.environ.get("REQUIRE_WORKER") == "1":
        assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert ping.delay().get(timeout=30) == "pong"


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_rendered_by_the_worker_and_stored():
    """In CI's PostgreSQL run this goes through Redis to a real worker process."""
    from matrices.services import (
        DutyInput,
        cell_set,
        domain_create,
        draft_approve,
        draft_submit,
        offering_create,
        party_create,
        provider_create,
    )
    from matrices.services.documents import pdf_request

    provider = provider_create(name="Worker Test", slug="worker-test")
    offering = offering_create(provider=provider, name="Hosted", slug="hosted", kind="managed")
    domain = domain_create(provider=provider, name="Keys", slug="keys")
    party = party_create(provider=provider, name="Customer", role="customer")
    cell_set(
        actor=None,
        offering=offering,
        domain=domain,
        ownership="customer",
        duties={party: [DutyInput(text="Rotate the keys every year.")]},
    )
    submission = draft_submit(actor=None, provider=provider, summary="First.")
    draft_approve(actor=None, submission=submission, expected_hash=submission.snapshot_hash)
    provider.refresh_from_db()

    document = pdf_request(actor=None, provider=provider, variant="matrix")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in ("ready", "failed"):
            break
        time.sleep(0.5)
    assert document.status == "ready", document.error
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
