"""What happens in the trust center, for its webhooks: ``trust_event`` is sent once the
change has committed, with ``provider``, ``event`` (a ``WebhookEvent``) and ``payload``
(what the receiver is told: never a secret or a link)."""

from django.db import transaction
from django.dispatch import Signal

trust_event = Signal()


def trust_event_on_commit(provider, event: str, payload: dict) -> None:
    """Send ``trust_event`` once the change commits; a receiver that fails is logged (the
    change stands, and the request that made it does not fail after its commit)."""
    transaction.on_commit(
        lambda: trust_event.send_robust(
            sender=None, provider=provider, event=event, payload=payload
        )
    )
