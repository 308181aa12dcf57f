"""The trust center's Celery tasks (thin: each calls one service). The periodic ones are
scheduled in ``CELERY_BEAT_SCHEDULE``."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings

from trust.analytics import events_fold as events_fold_service
from trust.grants import grants_expire as grants_expire_service
from trust.grants import grants_remind as grants_remind_service
from trust.notices import subscribers_notify as subscribers_notify_service
from trust.webhook_delivery import delivery_attempt


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
    return subscribers_notify_service(version_id=version_id)


@shared_task(name="trust.tasks.webhook_deliver", bind=True, acks_late=True)
def webhook_deliver(self, delivery_id: int) -> Retry | None:
    """One attempt at a webhook delivery; on a failure worth retrying, again later with
    exponential backoff, up to WEBHOOK_MAX_ATTEMPTS attempts in all."""
    countdown = delivery_attempt(delivery_id=delivery_id)
    if countdown is None:
        return None
    retry = {"countdown": countdown, "max_retries": settings.WEBHOOK_MAX_ATTEMPTS}
    if self.request.is_eager:
        # Run in-process (no broker: development, tests), nothing comes back later:
        # returned, not raised, the retry is run at once by apply(), whatever
        # CELERY_TASK_EAGER_PROPAGATES says.
        return self.retry(**retry, throw=False)
    raise self.retry(**retry)
