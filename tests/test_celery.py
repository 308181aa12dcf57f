"""Celery is wired: eager without a broker, through the broker and a worker with one."""

from __future__ import annotations

import os

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
