"""Export -> file -> import gives back exactly the matrix that was exported."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from matrices.exchange.files import read_csv, read_xlsx, write_csv, write_xlsx
from matrices.exchange.longformat import (
    COLUMNS,
    DutyItem,
    Offering,
    Party,
    duty_decode,
    duty_encode,
    parse_rows,
    rows_from_snapshot,
)

FORMATS = {"csv": (write_csv, read_csv), "xlsx": (write_xlsx, read_xlsx)}


def matrix_of(snapshot: dict) -> dict:
    """What the long format must carry, by names, read straight from a snapshot."""
    domains = {d["id"]: d["name"] for d in snapshot["domains"]}
    offerings = {o["id"]: o for o in snapshot["offerings"]}
    parties = {p["id"]: p["name"] for p in snapshot["parties"]}
    cells = {}
    for cell in snapshot["cells"]:
        duties = {name: [] for name in parties.values()}
        for duty in cell["duties"]:
            duties[parties[duty["party"]]].append(
                DutyItem(duty["text"], duty["advanced"], duty["not_applicable"], duty["scope"])
            )
        key = (domains[cell["domain"]], offerings[cell["offering"]]["name"])
        cells[key] = (cell["ownership"], duties)
    used_domains = {cell["domain"] for cell in snapshot["cells"]}
    return {
        "domains": [d["name"] for d in snapshot["domains"] if d["id"] in used_domains],
        "offerings": [Offering(o["name"], o["kind"]) for o in snapshot["offerings"]],
        "parties": [Party(p["name"], p["role"]) for p in snapshot["parties"]],
        "cells": cells,
    }


def round_trip(rows: list[dict[str, str]], file_format: str):
    write, read = FORMATS[file_format]
    name = f"matrix.{file_format}"
    return parse_rows(read(write(rows), filename=name), source=name)


TRICKY_ITEMS = [
    [DutyItem("- a Markdown list\n- of two")],
    [DutyItem("[draft] notes")],
    [DutyItem("\\ a backslash")],
    [DutyItem("-5 degrees")],
    [DutyItem("=SUM(A1:A2)"), DutyItem("@mention"), DutyItem("+1")],
    [DutyItem("two\n\nparagraphs"), DutyItem("ends with a blank line\n")],
    [DutyItem("[link](https://example.com)", advanced=True, scope="Cloud Console")],
    [DutyItem("", not_applicable=True, scope="a ] and a \\")],
    [DutyItem("Currently not supported.", not_applicable=True)],
    [DutyItem(" leading space", advanced=True), DutyItem("\tleading tab")],
    [DutyItem("  indented first line\n- and a dash line")],
]


INJECTION_ROW = {
    "domain": '=HYPERLINK("http://evil")',
    "offering": "+cmd",
    "offering_kind": "managed",
    "party": "@party",
    "party_role": "customer",
    "ownership": "customer",
    "duty": "- first\n- second",
}


NEUTRALISED = {
    "domain": '\'=HYPERLINK("http://evil")',
    "offering": "'+cmd",
    "party": "'@party",
    "duty": "'- first\n- second",
}


@pytest.mark.parametrize("file_format", FORMATS)
def test_it_gives_back_every_demo_matrix_exactly(demo_snapshots, file_format):
    for slug, snapshot in demo_snapshots.items():
        parsed = round_trip(rows_from_snapshot(snapshot), file_format)
        expected = matrix_of(snapshot)

        assert parsed.domains == expected["domains"], slug
        assert parsed.offerings == expected["offerings"], slug
        assert parsed.parties == expected["parties"], slug
        assert list(parsed.cells) == list(expected["cells"]), slug
        got = {key: (cell.ownership, cell.duties) for key, cell in parsed.cells.items()}
        assert got == expected["cells"], slug


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_snapshot_like_form_exports_the_same_rows(demo_snapshots, file_format):
    for snapshot in demo_snapshots.values():
        rows = rows_from_snapshot(snapshot)
        assert rows_from_snapshot(round_trip(rows, file_format).to_snapshot_like()) == rows


def test_the_demo_matrices_exercise_every_item_flag(demo_snapshots):
    # Guards the round-trip tests above: they must cover scopes, advanced and N/A items.
    duties = [d for s in demo_snapshots.values() for c in s["cells"] for d in c["duties"]]
    assert any(d["scope"] for d in duties)
    assert any(d["advanced"] for d in duties)
    assert any(d["not_applicable"] and not d["text"] for d in duties)
    assert any(d["not_applicable"] and d["text"] for d in duties)
    assert any(len(c["duties"]) > 2 for s in demo_snapshots.values() for c in s["cells"])


@pytest.mark.parametrize("items", TRICKY_ITEMS)
def test_it_decodes_exactly_what_it_encodes(items):
    assert duty_decode(duty_encode(items)) == items


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("items", TRICKY_ITEMS)
def test_tricky_items_survive_a_file(items, file_format):
    row = {
        "domain": "Keys",
        "offering": "Hosted",
        "offering_kind": "managed",
        "party": "Customer",
        "party_role": "customer",
        "ownership": "customer",
        "duty": duty_encode(items),
    }
    assert round_trip([row], file_format).cells["Keys", "Hosted"].duties["Customer"] == items


def test_it_writes_one_item_plainly_and_several_as_bullets():
    assert duty_encode([DutyItem("Rotate keys.")]) == "Rotate keys."
    assert duty_encode([DutyItem("One."), DutyItem("Two,\nwrapped.")]) == (
        "- One.\n- Two,\n  wrapped."
    )
    assert duty_encode([DutyItem("x", advanced=True, scope="Cloud Console")]) == (
        "[advanced] [scope: Cloud Console] x"
    )
    assert duty_encode([DutyItem("Not offered.", not_applicable=True)]) == "[n/a] Not offered."


def test_csv_cells_that_look_like_formulas_are_quoted_and_read_back_exactly():
    data = write_csv([INJECTION_ROW, {**INJECTION_ROW, "party": "\tTab", "duty": "'=quoted"}])

    written = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert written[1] == [NEUTRALISED.get(c, INJECTION_ROW[c]) for c in COLUMNS]
    assert written[2][3] == "'\tTab"
    assert written[2][6] == "''=quoted"
    rows = [row for _, row in read_csv(data, filename="m.csv")]
    assert rows == [INJECTION_ROW, {**INJECTION_ROW, "party": "\tTab", "duty": "'=quoted"}]


def test_csv_keeps_a_leading_carriage_return_exactly():
    # XLSX cannot: XML reads a carriage return as a line feed.
    row = {**INJECTION_ROW, "duty": "\rstarts with CR"}
    data = write_csv([row])
    assert "'\rstarts with CR" in data.decode("utf-8-sig")
    assert read_csv(data, filename="m.csv") == [(2, row)]


def test_xlsx_cells_that_look_like_formulas_are_quoted_and_read_back_exactly():
    row = {**INJECTION_ROW, "party": "\tTab"}
    data = write_xlsx([row])

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    written = [cell.value for cell in sheet[2]]
    assert written == [{**NEUTRALISED, "party": "'\tTab"}.get(c, row[c]) for c in COLUMNS]
    assert all(cell.data_type == "s" for cell in sheet[2])
    assert read_xlsx(data, filename="m.xlsx") == [(2, row)]


def test_the_readmes_example_file_imports_as_documented():
    from pathlib import Path

    from matrices.exchange.files import read_matrix

    path = Path(__file__).resolve().parents[3] / "docs/examples/long-format.csv"
    parsed = read_matrix(path.name, path.read_bytes())
    assert parsed.domains == ["Encryption at rest", "Physical security"]
    assert [(o.name, o.kind) for o in parsed.offerings] == [
        ("Managed service", "managed"),
        ("Your own cloud", "byoc"),
    ]
    assert [p.role for p in parsed.parties] == ["customer", "provider", "cloud-provider"]
