"""What the trust center listens to, connected once when Django is ready: reads of published
content (analytics) and publications (subscribers' emails)."""

from __future__ import annotations

from matrices.signals import content_read, version_published
from trust import reading, subscriptions


def receivers_connect() -> None:
    content_read.connect(reading.record_read, dispatch_uid="trust.reading.record_read")
    version_published.connect(
        subscriptions.notify_on_publication, dispatch_uid="trust.subscriptions.notify"
    )
