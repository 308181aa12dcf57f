r"""The long format: a matrix as one row per (domain, offering, party).

Columns, in this order, with a header row::

    domain,offering,offering_kind,party,party_role,ownership,duty

- ``domain``, ``offering``, ``party``: names, never blank (surrounding spaces are
  ignored). Domains, offerings and parties take the order in which the rows first
  name them; so do a cell's parties.
- ``offering_kind``: ``self-managed``, ``managed`` or ``byoc``; the same on every
  row of one offering.
- ``party_role``: ``customer``, ``provider``, ``cloud-provider`` or ``third-party``;
  the same on every row of one party.
- ``ownership``: ``provider``, ``customer``, ``shared``, ``third-party``,
  ``shared-third-party`` or ``n/a``; the same on every row of one (domain, offering).
- ``duty``: what that party does in that cell, in Markdown. Empty (or only
  spaces) means no duty. One (domain, offering, party) appears on one row only.

A duty holds one or more items. A single item is written plainly::

    Rotate the keys every year.

Several items are written as bullet lines, one item per ``- `` line; an item's
further lines (multi-line Markdown) are indented by two spaces. Empty lines
between bullets are ignored::

    - Choose the region.
    - Size the cluster:
      at least three nodes.

An item may start with markers, each at most once and in this order, separated
by a space:

- ``[n/a]``: not applicable; the rest of the item is an optional note;
- ``[advanced]``: advanced or optional hardening (not combined with ``[n/a]``);
- ``[scope: Cloud Console]``: where the item applies (at most 80 characters;
  write ``\]`` for a ``]`` and ``\\`` for a backslash inside it).

For example ``[advanced] [scope: Cloud Console] Enforce SSO.`` or
``[n/a] Currently not supported.``. An item without ``[n/a]`` needs text, some
of which is left once raw HTML is removed (an item of only ``<b></b>`` is refused).

Escaping: a text that starts with a backslash, ``[`` or ``-`` is written with
one more backslash in front (``\[draft] notes``, ``\- a Markdown list``), and on
reading one leading backslash is removed. So any text, including Markdown that
is itself a list, comes back exactly as it was exported.

Spreadsheet safety (see ``files``): a written cell that would start with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (possibly after single quotes)
gets one more leading ``'``; reading removes one ``'`` from a cell that starts
with quotes followed by one of those characters. That happens before the duty is
read, so a bullet list is written ``'- first`` and read back as ``- first``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from matrices.exchange.problems import ProblemList
from matrices.models import Duty, Ownership
from matrices.models.provider import OfferingKind, PartyRole
from matrices.richtext import clean_markdown
from matrices.snapshot import SNAPSHOT_SCHEMA

COLUMNS = ("domain", "offering", "offering_kind", "party", "party_role", "ownership", "duty")

SCOPE_MAX_LENGTH = Duty._meta.get_field("scope").max_length
MARKER_ORDER = "markers go at most once each, in this order: [n/a] [advanced] [scope: …]"


@dataclass(frozen=True)
class DutyItem:
    """One item of a party's duty in a cell."""

    text: str
    advanced: bool = False
    not_applicable: bool = False
    scope: str = ""


class Offering(NamedTuple):
    name: str
    kind: str


class Party(NamedTuple):
    name: str
    role: str


class ParsedCell(NamedTuple):
    ownership: str
    duties: dict[str, list[DutyItem]]


@dataclass
class ParsedMatrix:
    """A matrix read from long-format rows, keyed by names, in first-seen order."""

    domains: list[str] = field(default_factory=list)
    offerings: list[Offering] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    cells: dict[tuple[str, str], ParsedCell] = field(default_factory=dict)

    def to_snapshot_like(self) -> dict[str, Any]:
        """The snapshot shape without ids and HTML: cells and duties refer to names.

        Cells come by domain then offering, duties by party then position, as in
        a snapshot, so ``rows_from_snapshot`` accepts the result.
        """
        domain_index = {name: i for i, name in enumerate(self.domains)}
        offering_index = {o.name: i for i, o in enumerate(self.offerings)}
        party_index = {p.name: i for i, p in enumerate(self.parties)}
        cells = sorted(
            self.cells.items(), key=lambda kv: (domain_index[kv[0][0]], offering_index[kv[0][1]])
        )
        return {
            "schema": SNAPSHOT_SCHEMA,
            "offerings": [{"name": o.name, "kind": o.kind} for o in self.offerings],
            "parties": [{"name": p.name, "role": p.role} for p in self.parties],
            "domains": [{"name": name} for name in self.domains],
            "cells": [
                {
                    "domain": domain,
                    "offering": offering,
                    "ownership": cell.ownership,
                    "duties": [
                        {
                            "party": party,
                            "text": item.text,
                            "advanced": item.advanced,
                            "not_applicable": item.not_applicable,
                            "scope": item.scope,
                        }
                        for party in sorted(cell.duties, key=party_index.__getitem__)
                        for item in cell.duties[party]
                    ],
                }
                for (domain, offering), cell in cells
            ],
        }


# --- export ------------------------------------------------------------------


def rows_from_snapshot(snapshot: dict[str, Any]) -> list[dict[str, str]]:
    """One row per (domain, offering, party) of every cell, in display order.

    Accepts a snapshot or the output of ``ParsedMatrix.to_snapshot_like`` (whose
    references are names rather than ids).
    """

    def ref(entity: dict[str, Any]) -> Any:
        return entity.get("id", entity["name"])

    domains = {ref(d): d for d in snapshot["domains"]}
    offerings = {ref(o): o for o in snapshot["offerings"]}
    rows = []
    for cell in snapshot["cells"]:
        items: dict[Any, list[DutyItem]] = {}
        for duty in cell["duties"]:
            items.setdefault(duty["party"], []).append(
                DutyItem(
                    text=duty["text"],
                    advanced=duty["advanced"],
                    not_applicable=duty["not_applicable"],
                    scope=duty["scope"],
                )
            )
        offering = offerings[cell["offering"]]
        for party in snapshot["parties"]:
            rows.append(
                {
                    "domain": domains[cell["domain"]]["name"],
                    "offering": offering["name"],
                    "offering_kind": offering["kind"],
                    "party": party["name"],
                    "party_role": party["role"],
                    "ownership": cell["ownership"],
                    "duty": duty_encode(items.get(ref(party), [])),
                }
            )
    return rows


def duty_encode(items: list[DutyItem]) -> str:
    """A party's items in one cell as the ``duty`` column's text."""
    if not items:
        return ""
    if len(items) == 1:
        single = _item_encode(items[0])
        # A blank single item would read as "no duty": write it as a bullet.
        if single.strip():
            return single
    lines = []
    for item in items:
        first, *rest = _item_encode(item).split("\n")
        lines.append(f"- {first}")
        lines.extend(f"  {line}" for line in rest)
    return "\n".join(lines)


def _item_encode(item: DutyItem) -> str:
    markers = []
    if item.not_applicable:
        markers.append("[n/a]")
    if item.advanced:
        markers.append("[advanced]")
    if item.scope:
        scope = item.scope.replace("\\", "\\\\").replace("]", "\\]")
        markers.append(f"[scope: {scope}]")
    text = item.text
    if text[:1] in ("\\", "[", "-"):
        text = "\\" + text
    if text:
        markers.append(text)
    return " ".join(markers)


# --- import ------------------------------------------------------------------


class DutyError(ValueError):
    """The ``duty`` column cannot be read; the message says where and why."""


def duty_decode(value: str) -> list[DutyItem]:
    """The items written in a ``duty`` column; raises DutyError."""
    if not value.strip():
        return []
    first_line = value.split("\n", 1)[0]
    if not _is_bullet(first_line):
        return [_item_decode(value, label="")]
    chunks: list[list[tuple[str, bool]]] = []
    for number, line in enumerate(value.split("\n"), start=1):
        if _is_bullet(line):
            chunks.append([(line[2:], False)])
        elif line.startswith("  "):
            chunks[-1].append((line[2:], False))
        elif not line.strip():
            chunks[-1].append(("", True))
        else:
            raise DutyError(
                f"line {number} neither starts an item with '- ' nor continues one "
                "with two spaces of indent"
            )
    items = []
    for number, chunk in enumerate(chunks, start=1):
        while chunk[-1][1]:  # Blank lines between bullets separate, they are not text.
            chunk.pop()
        text = "\n".join(line for line, _ in chunk)
        items.append(_item_decode(text, label=f"item {number}: "))
    return items


def _is_bullet(line: str) -> bool:
    return line.startswith("- ") or line == "-"


def _item_decode(value: str, *, label: str) -> DutyItem:
    not_applicable = advanced = False
    scope = ""
    stage = 0  # 1 after [n/a], 2 after [advanced], 3 after [scope: …]
    pos = 0
    while value.startswith("[", pos):
        if value.startswith("[n/a]", pos):
            this, pos = 1, pos + len("[n/a]")
            not_applicable = True
        elif value.startswith("[advanced]", pos):
            this, pos = 2, pos + len("[advanced]")
            advanced = True
        elif value.startswith("[scope:", pos):
            this = 3
            scope, pos = _scope_decode(value, pos + len("[scope:"), label=label)
        else:
            end = value.find("]", pos)
            if end == -1 or "\n" in value[pos:end]:
                raise DutyError(
                    f"{label}'[' at the start of a text opens a marker that is never "
                    "closed; write '\\[' for a text that starts with '['"
                )
            raise DutyError(
                f"{label}unknown marker '{value[pos : end + 1]}' (the markers are [n/a], "
                "[advanced] and [scope: …]); write '\\[' for a text that starts with '['"
            )
        if this <= stage:
            raise DutyError(f"{label}{MARKER_ORDER}")
        stage = this
        if value.startswith(" ", pos):
            pos += 1
    text = value[pos:]
    if text.startswith("\\"):
        text = text[1:]
    if not_applicable and advanced:
        raise DutyError(f"{label}[n/a] and [advanced] cannot be combined")
    if not not_applicable and not text.strip():
        raise DutyError(f"{label}an item needs text unless it is marked [n/a]")
    if not not_applicable and not clean_markdown(text):  # as Duty.clean would refuse it
        raise DutyError(
            f"{label}raw HTML is removed from duties, and nothing was left: "
            "write the item in Markdown, or mark it [n/a]"
        )
    return DutyItem(text=text, advanced=advanced, not_applicable=not_applicable, scope=scope)


def _scope_decode(value: str, pos: int, *, label: str) -> tuple[str, int]:
    """The scope starting at ``pos`` (just after "[scope:"), and the position after "]"."""
    if value.startswith(" ", pos):
        pos += 1
    chars = []
    while pos < len(value):
        char = value[pos]
        if char == "]":
            scope = "".join(chars)
            if not scope.strip():
                raise DutyError(f"{label}[scope: …] is empty")
            if len(scope) > SCOPE_MAX_LENGTH:
                raise DutyError(
                    f"{label}the scope is {len(scope)} characters long; "
                    f"at most {SCOPE_MAX_LENGTH} are allowed"
                )
            return scope, pos + 1
        if char == "\\" and pos + 1 < len(value):
            pos += 1
            char = value[pos]
        chars.append(char)
        pos += 1
    raise DutyError(f"{label}[scope: is never closed with ']'")


@functools.cache
def _values(choices: type[Ownership]) -> tuple[str, ...]:
    return tuple(choices.values)  # Django builds the list anew at each ``.values``


def _choice_problem(value: str, choices: type[Ownership]) -> str | None:
    values = _values(choices)
    if value in values:
        return None
    allowed = ", ".join(values)
    if not value:
        return f"is blank; it must be one of {allowed}"
    return f"'{value}' is not one of {allowed}"


def parse_rows(rows: Iterable[tuple[int, dict[str, str]]], *, source: str) -> ParsedMatrix:
    """Read numbered long-format rows; raises ImportProblems listing every problem found.

    ``rows`` are (row number, {column: value}) as the file readers give them;
    ``source`` names the file in the problems.
    """
    problems = ProblemList(source)
    matrix = ParsedMatrix()
    offering_seen: dict[str, tuple[str, int]] = {}  # name -> (kind, row)
    party_seen: dict[str, tuple[str, int]] = {}
    cell_seen: dict[tuple[str, str], int] = {}
    duty_seen: dict[tuple[str, str, str], int] = {}
    any_rows = False

    for number, row in rows:
        any_rows = True
        domain, offering, party = (row.get(c, "").strip() for c in ("domain", "offering", "party"))
        kind, role, ownership = (
            row.get(c, "").strip() for c in ("offering_kind", "party_role", "ownership")
        )
        for column, value in (("domain", domain), ("offering", offering), ("party", party)):
            if not value:
                problems.add(number, column, "must not be blank")
        valid = {}
        for column, value, choices in (
            ("offering_kind", kind, OfferingKind),
            ("party_role", role, PartyRole),
            ("ownership", ownership, Ownership),
        ):
            message = _choice_problem(value, choices)
            valid[column] = message is None
            if message:
                problems.add(number, column, message)

        if offering and valid["offering_kind"]:
            if offering not in offering_seen:
                offering_seen[offering] = (kind, number)
                matrix.offerings.append(Offering(offering, kind))
            elif offering_seen[offering][0] != kind:
                first_kind, first_row = offering_seen[offering]
                problems.add(
                    number,
                    "offering_kind",
                    f"offering '{offering}' is '{kind}' here but '{first_kind}' on row {first_row}",
                )
        if party and valid["party_role"]:
            if party not in party_seen:
                party_seen[party] = (role, number)
                matrix.parties.append(Party(party, role))
            elif party_seen[party][0] != role:
                first_role, first_row = party_seen[party]
                problems.add(
                    number,
                    "party_role",
                    f"party '{party}' has role '{role}' here but '{first_role}' on row {first_row}",
                )

        try:
            items = duty_decode(row.get("duty", ""))
        except DutyError as error:
            problems.add(number, "duty", str(error))
            items = []

        if not (domain and offering and party):
            continue
        key = (domain, offering, party)
        if key in duty_seen:
            problems.add(
                number,
                None,
                f"domain '{domain}', offering '{offering}', party '{party}' "
                f"is already given on row {duty_seen[key]}",
            )
            continue
        duty_seen[key] = number
        if domain not in matrix.domains:
            matrix.domains.append(domain)
        cell = matrix.cells.get((domain, offering))
        if cell is None:
            cell_seen[domain, offering] = number
            cell = matrix.cells[domain, offering] = ParsedCell(ownership, {})
        elif (
            valid["ownership"]
            and cell.ownership in _values(Ownership)
            and (cell.ownership != ownership)
        ):
            problems.add(
                number,
                "ownership",
                f"'{ownership}' differs from '{cell.ownership}' given for domain "
                f"'{domain}', offering '{offering}' on row {cell_seen[domain, offering]}",
            )
        cell.duties[party] = items

    if not any_rows:
        problems.add(None, None, "the file has a header but no rows")
    problems.raise_if_any()
    return matrix
