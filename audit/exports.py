"""Streaming the audit log out as CSV or JSON, a chunk at a time, in chain order.

Neither format builds the whole log in memory: rows are read with
``.iterator(chunk_size=2000)`` and written out in batches. CSV cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from audit.models import AuditRecord

CHUNK_SIZE = 2000
BATCH = 200  # records per chunk written to the response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "seq",
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "provider",
    "changed_fields",
    "reason",
    "request_id",
    "ip",
    "before",
    "after",
    "hash",
    "prev_hash",
]


def neutralise(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet evaluates (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _records(queryset: QuerySet[AuditRecord]) -> Iterator[AuditRecord]:
    return queryset.order_by("seq").iterator(chunk_size=CHUNK_SIZE)


def _batched(lines: Iterable[str]) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _csv_row(record: AuditRecord) -> list[object]:
    return [
        record.seq,
        record.created_at.isoformat(),
        record.actor_label,
        record.action,
        record.object_type,
        record.object_id,
        record.object_label,
        record.provider_label,
        ";".join(record.changed_fields or []),
        record.reason,
        record.request_id,
        record.ip,
        "" if record.before is None else _json(record.before),
        "" if record.after is None else _json(record.after),
        record.hash,
        record.prev_hash,
    ]


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV text a line at a time (to stream): ``header``, then each of ``rows``, every
    cell neutralised against spreadsheet formulas. Every CSV export writes through this."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[object]) -> str:
        writer.writerow([neutralise(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(header)
    for row in rows:
        yield line(row)


def csv_stream(queryset: QuerySet[AuditRecord]) -> Iterator[str]:
    """A header row, then one row per record of ``queryset``, every cell neutralised."""
    lines = csv_lines(CSV_COLUMNS, map(_csv_row, _records(queryset)))
    yield next(lines)  # the header at once, before the first batch is read
    yield from _batched(lines)


def record_document(record: AuditRecord) -> dict[str, Any]:
    """Every field of the record, the hashed ones included, so the chain can be checked offline."""
    return {
        "seq": record.seq,
        "created_at": record.created_at.isoformat(),
        "actor": record.actor_label,
        "actor_id": record.actor_id,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_label": record.object_label,
        "provider": record.provider_label,
        "provider_id": record.provider_id,
        "changed_fields": record.changed_fields,
        "reason": record.reason,
        "request_id": record.request_id,
        "ip": record.ip,
        "before": record.before,
        "after": record.after,
        "hash": record.hash,
        "prev_hash": record.prev_hash,
    }


def _plain_filters(filters: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, date | datetime) else value
        for name, value in filters.items()
    }


def json_stream(
    queryset: QuerySet[AuditRecord],
    *,
    provider: str | None,
    exported_at: datetime,
    filters: dict[str, Any],
) -> Iterator[str]:
    """``{"provider", "exported_at", "filters", "records": [...]}``, one record at a time."""
    head = json.dumps(
        {
            "provider": provider,
            "exported_at": exported_at.isoformat(),
            "filters": _plain_filters(filters),
        },
        ensure_ascii=False,
    )
    yield head[:-1] + ', "records": ['  # reopen the object: the records follow
    yield from _batched(
        ("," if index else "") + "\n" + _json(record_document(record))
        for index, record in enumerate(_records(queryset))
    )
    yield "\n]}\n"


FORMATS = ("csv", "json")


def export_response(filterset, *, provider, fmt: str) -> StreamingHttpResponse:
    """The records ``filterset`` (valid) selects, streamed as a CSV or JSON attachment.

    ``fmt`` is one of ``FORMATS``; ``provider`` (or None for the whole site)
    names the file and the JSON document.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Audit exports are {FORMATS}, not {fmt!r}.")
    now = timezone.now()
    name = f"audit-{provider.slug if provider else 'site'}-{now:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        content = csv_stream(filterset.qs)
        content_type = "text/csv; charset=utf-8"
    else:
        content = json_stream(
            filterset.qs,
            provider=provider.slug if provider else None,
            exported_at=now,
            filters=filterset.applied,
        )
        content_type = "application/json"
    response = StreamingHttpResponse(content, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
