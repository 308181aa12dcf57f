"""Writing audit records for the tests, and reading them back out of a rendered page."""

from __future__ import annotations

import re
from datetime import datetime
from unittest import mock

from django.db import transaction

from audit.models import AuditAction, AuditRecord, ObjectType
from audit.services import audit_append

ROW = re.compile(r'<tr class="audit-row[^"]*" id="r(\d+)"')


def record_append(*, at: datetime | None = None, **fields) -> AuditRecord:
    """One record through the real service; ``at`` pins its timestamp."""
    fields["action"] = AuditAction(fields.get("action", "update"))
    fields["object_type"] = ObjectType(fields.get("object_type", "offering"))
    with transaction.atomic():
        if at is None:
            return audit_append(**fields)
        with mock.patch("audit.services.timezone.now", return_value=at):
            return audit_append(**fields)


def seqs_on(html: str) -> list[int]:
    """The seqs of the records listed on a log page, in page order."""
    return [int(seq) for seq in ROW.findall(html)]


def row_of(html: str, seq: int) -> str:
    """The HTML of one record: its row and its before/after row."""
    start = html.index(f'id="r{seq}"')
    end = html.find('<tr class="audit-row', start + 1)
    return html[start : end if end != -1 else html.index('id="audit-pager"', start)]
