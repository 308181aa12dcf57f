"""The dry run of an import: what applying a long-format file would change in the draft."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.access import require
from accounts.roles import Action
from matrices.exchange.longformat import ParsedMatrix, rows_from_snapshot
from matrices.models import Provider
from matrices.snapshot import snapshot_build, snapshot_hash

Key = tuple[str, str, str]  # (domain, offering, party)


@dataclass
class ImportPlan:
    """What applying the file would do to the draft, row by row."""

    base_hash: str  # the draft's hash when the plan was made
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)  # (before, after)
    axes_added: list[str] = field(default_factory=list)
    axes_removed: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.axes_added or self.axes_removed
        )


def _keyed(rows: list[dict]) -> dict[Key, dict]:
    return {(r["domain"], r["offering"], r["party"]): r for r in rows}


def import_plan(*, actor, provider: Provider, parsed: ParsedMatrix) -> ImportPlan:
    """The dry run: the differences between the draft and the file, nothing written."""
    require(actor, provider, Action.EDIT)
    current = snapshot_build(provider)
    before = _keyed(rows_from_snapshot(current))
    after = _keyed(rows_from_snapshot(parsed.to_snapshot_like()))
    plan = ImportPlan(base_hash=snapshot_hash(current))
    for key, row in after.items():
        if key not in before:
            plan.added.append(row)
        elif before[key] != row:
            plan.changed.append((before[key], row))
    plan.removed = [row for key, row in before.items() if key not in after]
    for kind, old, new in (
        ("domain", [d["name"] for d in current["domains"]], parsed.domains),
        ("offering", [o["name"] for o in current["offerings"]], [o.name for o in parsed.offerings]),
        ("party", [p["name"] for p in current["parties"]], [p.name for p in parsed.parties]),
    ):
        plan.axes_added += [f"{kind} “{n}”" for n in new if n not in old]
        plan.axes_removed += [f"{kind} “{n}”" for n in old if n not in new]
    return plan
