"""Celery is wired: eager without a broker, through the broker and a worker with one."""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings

from portal.celery import ping


def test_tasks_run_eagerly_exactly_when_no_broker_is_configured():
    assert settings.CELERY_TASK_ALWAYS_EAGER is settings.CELERY_BROKER_URL.startswith("memory://")


def test_a_task_round_trips_through_the_configured_broker():
    # With CELERY_BROKER_URL set (CI's PostgreSQL run) this needs a live worker;
    # REQUIRE_WORKER=1 makes sure that run really went through one.
    if os.environ.get("REQUIRE_WORKER") == "1":
        assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert ping.delay().get(timeout=30) == "pong"


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_rendered_by_the_worker_and_stored():
    """In CI's PostgreSQL run this goes through Redis to a real worker process."""
    from matrices.selectors.editions import edition_for
    from matrices.services.documents import pdf_request
    from tests.factories import small_provider

    provider = small_provider("worker-test")

    document = pdf_request(actor=None, edition=edition_for(None, provider), variant="matrix")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in ("ready", "failed"):
            break
        time.sleep(0.5)
    assert document.status == "ready", document.error
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
