"""Making a provider's draft what a file or a template says, in set-based writes.

An import of 2,000 rows must not call ``cell_set`` 2,000 times (about 47
queries each). Here every row is validated in memory with the same rules as
``cell_set`` (raw HTML removed, Markdown rendered, the models' field and
``clean`` rules), the tables are written with bulk operations, and the audit
records are appended in one batch under one lock of the chain's head, in the
same transaction: still one record per changed object, with the same contents
as the one-by-one services would write (``tests/matrices/services/
test_draft_sync.py`` applies the same file both ways and compares).

The steps, and their records, follow the one-by-one path: parties, offerings
and domains the target lacks are deleted (their cells deleted or updated),
changed ones updated; new ones created at the end, then every axis takes the
target's order; then each cell whose content changes is written, and cells the
target lacks are deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from accounts.access import require
from accounts.roles import Action
from audit.models import AuditAction
from audit.services import Entry, audit_append_many
from matrices.exchange.longformat import ParsedMatrix
from matrices.models import Cell, ControlDomain, Duty, Offering, Party, Provider
from matrices.services.cells import DutyInput, validated_duties

Progress = Callable[[float, str], None]
CellKey = tuple[str, str]  # (domain name, offering name)
BATCH = 1000


@dataclass(frozen=True)
class AxisTarget:
    """An offering, party or domain as the target names it, with the fields it sets."""

    name: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CellTarget:
    ownership: str
    duties: Mapping[str, Sequence[DutyInput]]  # party name -> items, in order


@dataclass
class MatrixTarget:
    """The matrix the draft must become, by names, in order."""

    offerings: list[AxisTarget]
    parties: list[AxisTarget]
    domains: list[AxisTarget]
    cells: dict[CellKey, CellTarget]

    @classmethod
    def from_parsed(cls, parsed: ParsedMatrix) -> MatrixTarget:
        """A long-format file: offerings carry their kind, parties their role."""
        return cls(
            offerings=[AxisTarget(o.name, {"kind": o.kind}) for o in parsed.offerings],
            parties=[AxisTarget(p.name, {"role": p.role}) for p in parsed.parties],
            domains=[AxisTarget(name) for name in parsed.domains],
            cells={
                key: CellTarget(
                    cell.ownership,
                    {
                        party: [DutyInput.from_dict(vars(item)) for item in items]
                        for party, items in cell.duties.items()
                    },
                )
                for key, cell in parsed.cells.items()
            },
        )

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> MatrixTarget:
        """A published version or a draft (a template's): every field of its axes."""
        offerings = {o["id"]: o["name"] for o in snapshot["offerings"]}
        domains = {d["id"]: d["name"] for d in snapshot["domains"]}
        parties = {p["id"]: p["name"] for p in snapshot["parties"]}

        def axis(row: dict, names: Iterable[str]) -> AxisTarget:
            return AxisTarget(row["name"], {name: row[name] for name in names})

        cells = {}
        for cell in snapshot["cells"]:
            duties: dict[str, list[DutyInput]] = {}
            for duty in cell["duties"]:
                duties.setdefault(parties[duty["party"]], []).append(DutyInput.from_dict(duty))
            key = (domains[cell["domain"]], offerings[cell["offering"]])
            cells[key] = CellTarget(cell["ownership"], duties)
        return cls(
            offerings=[
                axis(o, ("slug", "kind", "service_model", "description"))
                for o in snapshot["offerings"]
            ],
            parties=[axis(p, ("role",)) for p in snapshot["parties"]],
            domains=[axis(d, ("slug", "description", "category")) for d in snapshot["domains"]],
            cells=cells,
        )


@dataclass
class _Item:
    """A duty item in memory, as ``Duty`` stores it."""

    party: Party
    text: str
    text_html: str
    advanced: bool
    not_applicable: bool
    scope: str
    position: int

    def audit_snapshot(self) -> dict:
        return {
            "party": self.party.name,
            "text": self.text,
            "advanced": self.advanced,
            "not_applicable": self.not_applicable,
            "scope": self.scope,
        }


@dataclass
class _Cell:
    cell: Cell
    items: list[_Item]
    new: bool = False
    dirty: bool = False  # its duties are rewritten


def _duty_items(
    key: CellKey, target: CellTarget, parties: Mapping[str, Party]
) -> tuple[list[_Item], list[str]]:
    """The target's items of one cell, cleaned and validated as ``cell_set`` does."""
    items, problems = [], []
    for party_name, inputs in target.duties.items():
        try:
            duties = validated_duties(parties[party_name], inputs)
        except ValidationError as error:
            where = f"{key[0]} / {key[1]}, {party_name}"
            problems += [f"{where}: {message}" for message in error.messages]
            continue
        items += [
            _Item(
                party=duty.party,
                text=duty.text,
                text_html=duty.text_html,
                advanced=duty.advanced,
                not_applicable=duty.not_applicable,
                scope=duty.scope,
                position=duty.position,
            )
            for duty in duties
        ]
    return items, problems


class _DraftWriter:
    """The provider's draft in memory, changed step by step and written set by set."""

    def __init__(self, *, actor, provider: Provider, reason: str, progress: Progress) -> None:
        self.actor, self.provider, self.reason, self.progress = actor, provider, reason, progress
        self.entries: list[Entry] = []
        self.axes: dict[type[models.Model], list] = {
            model: list(model.objects.filter(provider=provider).order_by("position", "id"))
            for model in (Party, Offering, ControlDomain)
        }
        by_id = {(type(a), a.pk): a for axis in self.axes.values() for a in axis}
        self.cells: dict[tuple[int, int], _Cell] = {}
        for cell in Cell.objects.filter(provider=provider):
            cell.offering = by_id[Offering, cell.offering_id]
            cell.domain = by_id[ControlDomain, cell.domain_id]
            self.cells[cell.domain_id, cell.offering_id] = _Cell(cell, [])
        by_cell = {c.cell.pk: c for c in self.cells.values()}
        duties = Duty.objects.filter(cell__provider=provider).order_by("position", "id")
        for duty in duties.values():
            by_cell[duty["cell_id"]].items.append(
                _Item(
                    party=by_id[Party, duty["party_id"]],
                    **{
                        name: duty[name]
                        for name in (
                            "text",
                            "text_html",
                            "advanced",
                            "not_applicable",
                            "scope",
                            "position",
                        )
                    },
                )
            )

    # --- what the audit log keeps --------------------------------------------------

    def cell_snapshot(self, state: _Cell) -> dict:
        """As ``Cell.audit_snapshot``: duties by party position, then their own."""
        items = sorted(state.items, key=lambda i: (i.party.position, i.party.pk, i.position))
        return {
            "offering": state.cell.offering.slug,
            "domain": state.cell.domain.slug,
            "ownership": state.cell.ownership,
            "duties": [item.audit_snapshot() for item in items],
        }

    def record(self, obj, action: AuditAction, *, before=None, after=None, label=None) -> None:
        self.entries.append(
            Entry(
                action=action,
                object_type=obj.audit_type,
                object_id=obj.pk,
                object_label=label or str(obj),
                provider=self.provider,
                before=before,
                after=after,
                reason=self.reason,
                actor=self.actor,
            )
        )

    # --- the steps ------------------------------------------------------------------

    def delete_axes(self, model: type[models.Model], wanted: Mapping[str, AxisTarget]) -> None:
        """Delete the axes ``wanted`` lacks, with what hangs off them; update the others."""
        doomed = [obj for obj in self.axes[model] if obj.name not in wanted]
        changed = []
        for obj in self.axes[model]:
            if obj in doomed:
                continue
            changes = {k: v for k, v in wanted[obj.name].fields.items() if k != "slug"}
            before = obj.audit_snapshot()
            for name, value in changes.items():
                setattr(obj, name, value)
            if obj.audit_snapshot() != before:
                obj.full_clean(
                    exclude=["provider"], validate_unique=False, validate_constraints=False
                )
                obj.version += 1
                changed.append(obj)
                self.record(obj, AuditAction.UPDATE, before=before, after=obj.audit_snapshot())
        fields = [*{k for t in wanted.values() for k in t.fields if k != "slug"}, "version"]
        model.objects.bulk_update(changed, fields, batch_size=BATCH)
        for obj in doomed:
            if model is Party:
                touched = [
                    state
                    for _key, state in sorted(self.cells.items(), key=lambda kv: kv[1].cell.pk)
                    if any(item.party is obj for item in state.items)
                ]
                for state in touched:
                    before = self.cell_snapshot(state)
                    state.items = [item for item in state.items if item.party is not obj]
                    state.cell.version += 1
                    self.record(
                        state.cell,
                        AuditAction.UPDATE,
                        before=before,
                        after=self.cell_snapshot(state),
                    )
                Cell.objects.bulk_update([s.cell for s in touched], ["version"], batch_size=BATCH)
            else:
                column = "offering_id" if model is Offering else "domain_id"
                for key, state in sorted(self.cells.items(), key=lambda kv: kv[1].cell.pk):
                    if getattr(state.cell, column) == obj.pk:
                        self.record(
                            state.cell, AuditAction.DELETE, before=self.cell_snapshot(state)
                        )
                        del self.cells[key]
            self.record(obj, AuditAction.DELETE, before=obj.audit_snapshot())
        if doomed:
            model.objects.filter(pk__in=[obj.pk for obj in doomed]).delete()
            self.axes[model] = [obj for obj in self.axes[model] if obj not in doomed]

    def create_axes(self, model: type[models.Model], targets: Sequence[AxisTarget]) -> None:
        """Create the targets the draft lacks, at the end, in order (as the services do)."""
        existing = {obj.name for obj in self.axes[model]}
        taken = {getattr(obj, "slug", None) for obj in self.axes[model]}
        position = max((obj.position for obj in self.axes[model]), default=-1) + 1
        new = []
        for target in targets:
            if target.name in existing:
                continue
            obj = model(provider=self.provider, name=target.name, position=position)
            for name, value in target.fields.items():
                setattr(obj, name, value)
            if model is not Party and not target.fields.get("slug"):
                obj.slug = _free_slug(target.name, taken)
            taken.add(getattr(obj, "slug", None))
            obj.full_clean(exclude=["provider"], validate_unique=False, validate_constraints=False)
            new.append(obj)
            position += 1
        model.objects.bulk_create(new, batch_size=BATCH)
        for obj in new:
            self.record(obj, AuditAction.CREATE, after=obj.audit_snapshot())
        self.axes[model] += new

    def reorder(self, model: type[models.Model], names: Sequence[str]) -> None:
        """Give the axis the target's order; each one that moves is recorded."""
        by_name = {obj.name: obj for obj in self.axes[model]}
        moved = []
        for position, name in enumerate(names):
            obj = by_name[name]
            if obj.position == position:
                continue
            before = obj.audit_snapshot()
            obj.position, obj.version = position, obj.version + 1
            moved.append(obj)
            self.record(obj, AuditAction.UPDATE, before=before, after=obj.audit_snapshot())
        model.objects.bulk_update(moved, ["position", "version"], batch_size=BATCH)
        self.axes[model] = [by_name[name] for name in names]

    def write_cells(self, cells: Mapping[CellKey, CellTarget]) -> None:
        """Write each cell whose content changes; delete the cells the target lacks."""
        offerings = {o.name: o for o in self.axes[Offering]}
        domains = {d.name: d for d in self.axes[ControlDomain]}
        parties = {p.name: p for p in self.axes[Party]}
        problems, planned = [], []
        for key, target in cells.items():
            domain, offering = domains[key[0]], offerings[key[1]]
            items, cell_problems = _duty_items(key, target, parties)
            problems += cell_problems
            state = self.cells.get((domain.pk, offering.pk))
            if state is None:
                cell = Cell(
                    provider=self.provider,
                    offering=offering,
                    domain=domain,
                    ownership=target.ownership,
                    version=0,
                )
                state = _Cell(cell, [], new=True)
            try:
                Cell(ownership=target.ownership).clean_fields(
                    exclude=["provider", "offering", "domain"]
                )
            except ValidationError as error:
                problems += [f"{key[0]} / {key[1]}: {m}" for m in error.messages]
            planned.append((state, target.ownership, items))
        if problems:
            raise ValidationError(problems)
        self.progress(0.5, "Cells validated")

        created, updated = [], []
        for state, ownership, items in planned:
            before = None if state.new else self.cell_snapshot(state)
            previous = (state.cell.ownership, state.items)
            state.cell.ownership, state.items = ownership, items
            after = self.cell_snapshot(state)
            if before == after:
                state.cell.ownership, state.items = previous
                continue
            state.cell.version += 1
            state.dirty = True
            (created if state.new else updated).append((state, before, after))
        Cell.objects.bulk_create([s.cell for s, _, _ in created], batch_size=BATCH)
        Cell.objects.bulk_update(
            [s.cell for s, _, _ in updated], ["ownership", "version"], batch_size=BATCH
        )
        self.progress(0.7, "Cells written")
        rewritten = [s for s, _, _ in updated]
        Duty.objects.filter(cell__in=[s.cell for s in rewritten]).delete()
        Duty.objects.bulk_create(
            [
                Duty(
                    cell=state.cell,
                    party=item.party,
                    text=item.text,
                    text_html=item.text_html,
                    advanced=item.advanced,
                    not_applicable=item.not_applicable,
                    scope=item.scope,
                    position=item.position,
                )
                for state, _, _ in [*created, *updated]
                for item in state.items
            ],
            batch_size=BATCH,
        )
        self.progress(0.85, "Duties written")
        for state, before, after in [*created, *updated]:
            cell = state.cell
            self.record(
                cell,
                AuditAction.CREATE if before is None else AuditAction.UPDATE,
                before=before,
                after=after,
                label=f"{cell.domain.name} / {cell.offering.name}",
            )
            if state.new:
                self.cells[cell.domain_id, cell.offering_id] = state
                state.new = False
        wanted = {(domains[d].pk, offerings[o].pk) for d, o in cells}
        gone = [
            (key, state)
            for key, state in sorted(self.cells.items(), key=lambda kv: kv[1].cell.pk)
            if key not in wanted
        ]
        for key, state in gone:
            self.record(state.cell, AuditAction.DELETE, before=self.cell_snapshot(state))
            del self.cells[key]
        Cell.objects.filter(pk__in=[state.cell.pk for _, state in gone]).delete()


def _free_slug(name: str, taken: set) -> str:
    base = slugify(name)[:70] or "item"
    slug, index = base, 2
    while slug in taken:
        slug, index = f"{base}-{index}", index + 1
    return slug


@dataclass(frozen=True)
class SyncResult:
    """How many audit records the sync appended (one per changed object)."""

    records: int


@transaction.atomic
def draft_sync(
    *,
    actor,
    provider: Provider,
    target: MatrixTarget,
    reason: str,
    progress: Progress | None = None,
) -> SyncResult:
    """Make ``provider``'s draft exactly ``target``, in one transaction; nothing is written
    if any row is refused (ValidationError listing every problem)."""
    require(actor, provider, Action.EDIT)
    Provider.objects.select_for_update().filter(pk=provider.pk).first()
    report = progress or (lambda fraction, message: None)
    writer = _DraftWriter(actor=actor, provider=provider, reason=reason, progress=report)
    report(0.1, "Draft read")
    axes = ((Party, target.parties), (Offering, target.offerings), (ControlDomain, target.domains))
    for model, wanted in axes:
        writer.delete_axes(model, {t.name: t for t in wanted})
    for model, wanted in axes:
        writer.create_axes(model, wanted)
    for model, wanted in axes:
        writer.reorder(model, [t.name for t in wanted])
    report(0.3, "Rows and columns written")
    writer.write_cells(target.cells)
    audit_append_many(writer.entries)
    report(1.0, "Audit records written")
    return SyncResult(records=len(writer.entries))
