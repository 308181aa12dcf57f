"""The trust center's Celery tasks (thin: each calls one service). The periodic ones are
scheduled in ``CELERY_BEAT_SCHEDULE``."""

from __future__ import annotations

from celery import shared_task

from trust.analytics import events_fold as events_fold_service
from trust.grants import grants_expire as grants_expire_service
from trust.grants import grants_remind as grants_remind_service
from trust.notices import subscribers_notify as subscribers_notify_service


@shared_task(name="trust.tasks.grants_expire")
def grants_expire() -> int:
    """End the grants past their expiry; returns how many."""
    return grants_expire_service()


@shared_task(name="trust.tasks.grants_remind")
def grants_remind() -> int:
    """Email the readers whose access ends soon; returns how many."""
    return grants_remind_service()


@shared_task(name="trust.tasks.events_fold")
def events_fold() -> int:
    """Fold the reading events past their keeping time into daily counts; returns how many."""
    return events_fold_service()


@shared_task(name="trust.tasks.subscribers_notify")
def subscribers_notify(version_id: int) -> int:
    """Email a new version's notice to its provider's subscribers; returns how many."""
    return subscribers_notify_service(version_id)
