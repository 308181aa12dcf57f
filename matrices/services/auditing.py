"""The one way the matrix services record a change of one object in the audit log."""

from __future__ import annotations

from django.db import models

from audit.models import AuditAction, AuditRecord, ObjectType
from audit.services import audit_append


def audit_change(
    obj: models.Model,
    action: AuditAction,
    *,
    actor,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    label: str | None = None,
) -> AuditRecord:
    """Append the record of ``action`` on ``obj`` (a provider or anything of one).

    The object's kind is its model's ``audit_type``; its label is ``str(obj)``
    unless ``label`` says otherwise. Must run inside the change's transaction.
    """
    provider = obj if obj.audit_type == ObjectType.PROVIDER else obj.provider
    return audit_append(
        action=action,
        object_type=obj.audit_type,
        object_id=obj.pk,
        object_label=label or str(obj),
        provider=provider,
        before=before,
        after=after,
        reason=reason,
        actor=actor,
    )
