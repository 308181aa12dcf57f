"""Appending to the audit log, from inside the transaction of the change it records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from audit import context
from audit.chain import record_hash
from audit.models import AuditAction, AuditChainHead, AuditRecord, ObjectType

BATCH = 500  # records per INSERT


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


@dataclass(frozen=True)
class Entry:
    """One record to append: what changed, on what, by whom and why (see ``audit_append``)."""

    action: AuditAction
    object_type: ObjectType
    object_id: object = ""
    object_label: str = ""
    provider: Any = None
    before: dict | None = None
    after: dict | None = None
    reason: str = ""
    actor: Any = None
    actor_label: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.object_type, ObjectType):
            raise TypeError(
                f"object_type must be an audit.models.ObjectType, not {self.object_type!r}."
            )
        if not isinstance(self.action, AuditAction):
            raise TypeError(f"action must be an audit.models.AuditAction, not {self.action!r}.")


def audit_append(**fields: Any) -> AuditRecord:
    """Append one record to the chain (the fields of ``Entry``). Must run inside the
    transaction of the change."""
    return audit_append_many([Entry(**fields)])[0]


def audit_append_many(entries: Sequence[Entry]) -> list[AuditRecord]:
    """Append ``entries`` to the chain in order, under one lock of its head, in one insert
    per batch: what a set-based write (an import) records, one record per changed object.
    Must run inside the transaction of the change."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("audit_append() needs the caller's transaction.atomic()")
    if not entries:
        return []
    ctx = context.current()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        seq, previous = head.seq, head.hash
        records = []
        for entry in entries:
            actor_id, label = _actor(entry.actor)
            before, after = _plain(entry.before), _plain(entry.after)
            provider = entry.provider
            seq += 1
            record = AuditRecord(
                seq=seq,
                created_at=timezone.now(),
                actor_id=actor_id,
                actor_label=(entry.actor_label or label)[:150],
                request_id=ctx.request_id,
                ip=ctx.ip,
                action=entry.action,
                object_type=entry.object_type,
                object_id=str(entry.object_id or ""),
                object_label=str(entry.object_label)[:300],
                provider_id=provider.pk if provider is not None else None,
                provider_label=provider.name if provider is not None else "",
                before=before,
                after=after,
                changed_fields=changed_fields(before, after),
                reason=entry.reason.strip()[:2000],
                prev_hash=previous,
            )
            record.hash = previous = record_hash(record.__dict__)
            records.append(record)
        AuditRecord.objects.bulk_create(records, batch_size=BATCH)
        head.seq, head.hash = seq, previous
        head.save(update_fields=["seq", "hash"])
    return records


def audit_head_seq() -> int:
    """The position of the newest record in the chain (0 for an empty log)."""
    head = AuditChainHead.objects.filter(id=1).values_list("seq", flat=True).first()
    return head or 0
