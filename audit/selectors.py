"""Reading the audit log: the base queryset and keyset pages over it.

Pages are cut on ``seq`` (``seq < before``, newest first, LIMIT size + 1),
never with OFFSET or a COUNT(*) of the whole log: each page costs the same
index range scan on the millionth record as on the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import QuerySet

from audit.models import AuditRecord

PAGE_SIZE = 50


def audit_records(*, provider: models.Model | None = None) -> QuerySet[AuditRecord]:
    """The records of ``provider``, or of the whole site when ``provider`` is None, newest first.

    The actor is shown by ``actor_label`` (the username at the time), so no
    join to the user table: the link carries no constraint and may dangle.
    """
    records = AuditRecord.objects.all()
    if provider is not None:
        records = records.filter(provider=provider)
    return records.order_by("-seq")


def page_of(
    queryset: QuerySet[AuditRecord], *, before_seq: int | None, size: int = PAGE_SIZE
) -> tuple[list[AuditRecord], int | None]:
    """The ``size`` newest records of ``queryset`` below ``before_seq``, and the next cursor.

    The cursor is the ``seq`` of the page's last record (pass it as
    ``before_seq`` for the next, older page), or None on the last page.
    """
    if before_seq is not None:
        queryset = queryset.filter(seq__lt=before_seq)
    records = list(queryset.order_by("-seq")[: size + 1])
    if len(records) > size:
        return records[:size], records[size - 1].seq
    return records, None


def newer_cursor(
    queryset: QuerySet[AuditRecord], *, first_seq: int, size: int = PAGE_SIZE
) -> tuple[bool, int | None]:
    """Whether records newer than ``first_seq`` exist, and the cursor of the page just above.

    The cursor is None when that page is the newest one (link without a cursor).
    One query over at most ``size + 1`` seqs of the index.
    """
    seqs = list(
        queryset.filter(seq__gt=first_seq).order_by("seq").values_list("seq", flat=True)[: size + 1]
    )
    if not seqs:
        return False, None
    return True, seqs[size] if len(seqs) > size else None


@dataclass(frozen=True)
class LogPage:
    """One page of the log and the cursors of its neighbours."""

    records: list[AuditRecord]
    older: int | None  # ``before`` of the next, older page; None on the last page
    has_newer: bool
    newer: int | None  # ``before`` of the page above; None when that is the newest page


def log_page(
    queryset: QuerySet[AuditRecord], *, before_seq: int | None, size: int | None = None
) -> LogPage:
    """The page below ``before_seq`` (the newest without it): two queries at most."""
    size = size or PAGE_SIZE
    records, older = page_of(queryset, before_seq=before_seq, size=size)
    has_newer, newer = False, None
    if before_seq is not None and records:
        has_newer, newer = newer_cursor(queryset, first_seq=records[0].seq, size=size)
    elif before_seq is not None:
        has_newer = True  # past the oldest record: offer the way back
    return LogPage(records, older, has_newer, newer)


def object_label(queryset: QuerySet[AuditRecord]) -> str:
    """The newest label ``queryset`` (one object's history) knows for its object."""
    return queryset.order_by("-seq").values_list("object_label", flat=True).first() or ""
