"""The hash chain: canonical content of a record and its keyed hash.

The key (AUDIT_HMAC_KEY) lives outside the database, so someone who can
write to the database cannot forge a record that verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "request_id",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "provider_id",
    "provider_label",
    "before",
    "after",
    "changed_fields",
    "reason",
    "prev_hash",
)


def canonical(values: dict[str, Any]) -> bytes:
    """The record's hashed fields as compact, key-sorted JSON."""
    content = {name: values[name] for name in HASHED_FIELDS}
    created_at = content["created_at"]
    content["created_at"] = created_at if isinstance(created_at, str) else created_at.isoformat()
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(values: dict[str, Any]) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), canonical(values), hashlib.sha256).hexdigest()


def values_of(record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in HASHED_FIELDS}
