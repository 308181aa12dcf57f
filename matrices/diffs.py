"""What changed between two snapshots of a matrix (two versions, or a version and the draft).

Objects are matched by their ids, which stay the same across versions, so a
renamed domain is "changed", not "removed and added". Duty texts are compared
word by word.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from matrices.models.catalogue import Ownership


@dataclass
class AxisChange:
    kind: str  # "domain", "offering", "party"
    change: str  # "added", "removed", "changed"
    name: str
    before: dict | None = None
    after: dict | None = None
    fields: list[str] = field(default_factory=list)


@dataclass
class PartyTextChange:
    party: str
    before: str
    after: str
    words: SafeString  # the word-level diff, escaped, with <ins> and <del>


@dataclass
class CellChange:
    domain: str
    domain_slug: str
    offering: str
    change: str  # "added", "removed", "changed"
    ownership_before: str = ""
    ownership_after: str = ""
    texts: list[PartyTextChange] = field(default_factory=list)

    @property
    def ownership_changed(self) -> bool:
        return self.ownership_before != self.ownership_after

    @property
    def ownership_before_label(self) -> str:
        return Ownership(self.ownership_before).label if self.ownership_before else "none"

    @property
    def ownership_after_label(self) -> str:
        return Ownership(self.ownership_after).label if self.ownership_after else "none"


@dataclass
class SnapshotDiff:
    axes: list[AxisChange]
    cells: list[CellChange]

    @property
    def is_empty(self) -> bool:
        return not self.axes and not self.cells

    @property
    def ownership_changes(self) -> list[CellChange]:
        return [c for c in self.cells if c.ownership_changed]


def word_diff(before: str, after: str) -> SafeString:
    """``after`` against ``before``, word by word: removed words in <del>, added in <ins>."""
    old, new = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(old[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(new[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every word is escaped above


def _party_texts(cell: dict | None, parties: dict[int, str]) -> dict[str, str]:
    texts: dict[str, list[str]] = {}
    for duty in (cell or {}).get("duties", []):
        marker = " [not applicable]" if duty["not_applicable"] else ""
        marker += " [advanced]" if duty["advanced"] else ""
        scope = f"[{duty['scope']}] " if duty["scope"] else ""
        texts.setdefault(parties.get(duty["party"], "?"), []).append(
            f"{scope}{duty['text']}{marker}".strip()
        )
    return {party: " · ".join(items) for party, items in texts.items()}


def _axis_changes(kind: str, old: list[dict], new: list[dict]) -> list[AxisChange]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changes = []
    for item in new:
        if item["id"] not in before:
            changes.append(AxisChange(kind, "added", item["name"], after=item))
        elif before[item["id"]] != item:
            fields = sorted(k for k in item if item[k] != before[item["id"]].get(k))
            changes.append(
                AxisChange(kind, "changed", item["name"], before[item["id"]], item, fields)
            )
    for item in old:
        if item["id"] not in after:
            changes.append(AxisChange(kind, "removed", item["name"], before=item))
    return changes


def snapshot_diff(old: dict, new: dict) -> SnapshotDiff:
    """Every difference between two snapshots, in the newer one's order."""
    axes = (
        _axis_changes("domain", old["domains"], new["domains"])
        + _axis_changes("offering", old["offerings"], new["offerings"])
        + _axis_changes("party", old["parties"], new["parties"])
    )
    names = {("d", d["id"]): d for d in old["domains"] + new["domains"]}
    names.update({("o", o["id"]): o for o in old["offerings"] + new["offerings"]})
    parties = {p["id"]: p["name"] for p in old["parties"] + new["parties"]}
    old_cells = {(c["domain"], c["offering"]): c for c in old["cells"]}
    new_cells = {(c["domain"], c["offering"]): c for c in new["cells"]}
    order = list(new_cells) + [key for key in old_cells if key not in new_cells]
    cells = []
    for key in order:
        before, after = old_cells.get(key), new_cells.get(key)
        if before == after:
            continue
        domain, offering = names[("d", key[0])], names[("o", key[1])]
        change = CellChange(
            domain=domain["name"],
            domain_slug=domain["slug"],
            offering=offering["name"],
            change="added" if before is None else "removed" if after is None else "changed",
            ownership_before=(before or {}).get("ownership", ""),
            ownership_after=(after or {}).get("ownership", ""),
        )
        old_texts, new_texts = _party_texts(before, parties), _party_texts(after, parties)
        for party in sorted(old_texts.keys() | new_texts.keys()):
            a, b = old_texts.get(party, ""), new_texts.get(party, "")
            if a != b:
                change.texts.append(PartyTextChange(party, a, b, word_diff(a, b)))
        cells.append(change)
    return SnapshotDiff(axes=axes, cells=cells)
