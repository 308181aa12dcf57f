"""Appending to the audit log, from inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from audit import context
from audit.chain import record_hash
from audit.models import AuditAction, AuditChainHead, AuditRecord, ObjectType


class AuditOutsideTransaction(RuntimeError):
    """An audit record must be written in the same transaction as the change it records."""


def _plain(value: Any) -> Any:
    """JSON-native copy (dates and decimals as strings), exactly as the database returns it."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    before, after = before or {}, after or {}
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        actor = context.current().user
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.pk, actor.get_username()
    return None, context.current().label


def audit_append(
    *,
    action: AuditAction,
    object_type: ObjectType,
    object_id: object = "",
    object_label: str = "",
    provider=None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    actor=None,
    actor_label: str | None = None,
) -> AuditRecord:
    """Append one record to the chain. Must run inside the transaction of the change."""
    if not isinstance(object_type, ObjectType):
        raise TypeError(f"object_type must be an audit.models.ObjectType, not {object_type!r}.")
    if not isinstance(action, AuditAction):
        raise TypeError(f"action must be an audit.models.AuditAction, not {action!r}.")
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_append() needs the caller's transaction.atomic()")
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        actor_id, label = _actor(actor)
        ctx = context.current()
        before, after = _plain(before), _plain(after)
        record = AuditRecord(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=(actor_label or label)[:150],
            request_id=ctx.request_id,
            ip=ctx.ip,
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            object_label=str(object_label)[:300],
            provider_id=provider.pk if provider is not None else None,
            provider_label=provider.name if provider is not None else "",
            before=before,
            after=after,
            changed_fields=changed_fields(before, after),
            reason=reason.strip()[:2000],
            prev_hash=head.hash,
        )
        record.hash = record_hash(record.__dict__)
        record.save(force_insert=True)
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
    return record


def audit_head_seq() -> int:
    """The position of the newest record in the chain (0 for an empty log)."""
    head = AuditChainHead.objects.filter(id=1).values_list("seq", flat=True).first()
    return head or 0
