"""Readable before/after differences of audit records, for the log's expandable rows.

Everything returned here is plain text: the templates escape it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from audit.models import AuditAction, AuditRecord

CELL_KEYS = {"ownership", "duties"}


@dataclass(frozen=True)
class FieldChange:
    """One field of a flat snapshot; ``None`` stands for "absent"."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class DutyLine:
    status: Literal["kept", "removed", "added"]
    text: str
    advanced: bool = False
    not_applicable: bool = False
    scope: str = ""


@dataclass(frozen=True)
class PartyDuties:
    party: str
    lines: list[DutyLine]

    @property
    def changed(self) -> bool:
        return any(line.status != "kept" for line in self.lines)


@dataclass(frozen=True)
class Diff:
    """What a record changed: ``fields`` for any snapshot, plus ownership and duties for cells.

    Ownership values are the raw codes of the snapshot (None: no cell).
    """

    kind: Literal["fields", "cell"]
    fields: list[FieldChange] = field(default_factory=list)
    ownership_before: str | None = None
    ownership_after: str | None = None
    parties: list[PartyDuties] = field(default_factory=list)

    @property
    def ownership_changed(self) -> bool:
        return self.ownership_before != self.ownership_after


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _field_changes(before: dict, after: dict, *, every_field: bool) -> list[FieldChange]:
    names = list(dict.fromkeys([*before, *after]))
    return [
        FieldChange(name, _text(before.get(name)), _text(after.get(name)))
        for name in names
        if every_field or before.get(name) != after.get(name)
    ]


def _ownership(snapshot: dict | None) -> str | None:
    return None if not snapshot else str(snapshot.get("ownership", ""))


def _duty_key(duty: dict) -> tuple[str, bool, bool, str]:
    return (
        str(duty.get("text", "")),
        bool(duty.get("advanced", False)),
        bool(duty.get("not_applicable", False)),
        str(duty.get("scope", "")),
    )


def _by_party(snapshot: dict | None) -> dict[str, list[tuple[str, bool, bool, str]]]:
    parties: dict[str, list[tuple[str, bool, bool, str]]] = {}
    for duty in (snapshot or {}).get("duties") or []:
        if isinstance(duty, dict):
            parties.setdefault(str(duty.get("party", "")), []).append(_duty_key(duty))
    return parties


def _duty_lines(old: list, new: list) -> list[DutyLine]:
    """The party's items in order: kept, removed (struck through) and added."""
    lines: list[DutyLine] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            lines.extend(DutyLine("kept", *item) for item in old[i1:i2])
            continue
        lines.extend(DutyLine("removed", *item) for item in old[i1:i2])
        lines.extend(DutyLine("added", *item) for item in new[j1:j2])
    return lines


def _cell_diff(before: dict | None, after: dict | None) -> Diff:
    old, new = _by_party(before), _by_party(after)
    parties = [
        PartyDuties(party, _duty_lines(old.get(party, []), new.get(party, [])))
        for party in dict.fromkeys([*old, *new])
    ]
    other = {k: v for k, v in (before or {}).items() if k not in CELL_KEYS}
    other_after = {k: v for k, v in (after or {}).items() if k not in CELL_KEYS}
    return Diff(
        kind="cell",
        fields=_field_changes(other, other_after, every_field=False),
        ownership_before=_ownership(before),
        ownership_after=_ownership(after),
        parties=parties,
    )


def record_diff(record: AuditRecord) -> Diff | None:
    """The record's change in readable form, or None when it carries no snapshot (sign-ins)."""
    before = record.before if isinstance(record.before, dict) else None
    after = record.after if isinstance(record.after, dict) else None
    if before is None and after is None:
        return None
    if set(before or {}) | set(after or {}) >= CELL_KEYS:
        return _cell_diff(before, after)
    every_field = record.action in (AuditAction.CREATE, AuditAction.DELETE) or not (
        before and after
    )
    return Diff(
        kind="fields", fields=_field_changes(before or {}, after or {}, every_field=every_field)
    )
