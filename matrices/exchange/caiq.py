"""A matrix as a CAIQ-style workbook: one row per control domain and offering.

The CSA Consensus Assessments Initiative Questionnaire (CAIQ v4) answers each CCM
control with an "SSRM Control Ownership", a "CSP Implementation Description" and the
"CSC Responsibilities". This workbook gives the same three for each (domain, offering)
of a matrix, not per CCM control: the matrix is kept per domain.

- Ownership is worded as CAIQ v4's drop-down has it (``CCM_OWNERSHIP``); CAIQ has no
  ownership value for a control that does not apply (its answer is then "NA"), so
  ``n/a`` is written "NA".
- The CSP implementation description holds the provider's and the cloud provider's
  duties; the CSC responsibilities the customer's; third parties have a column of
  their own. Several items are "• " lines; when more than one party fills a column, or
  the cloud provider fills the CSP's, the party's items follow its name. Markdown is
  kept as written.
- Every text cell goes through ``files.xlsx_text``, so no value is read as a formula (and
  none holds a control character XLSX cannot).
- A second sheet, "About", names the provider, the version, the snapshot's hash, when
  it was exported, and the ownership wording.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from matrices.exchange.files import xlsx_text
from matrices.models import Ownership
from matrices.models.catalogue import OWNERSHIP_HELP
from matrices.models.provider import PartyRole
from matrices.snapshot import snapshot_hash

# CAIQ v4 "SSRM Control Ownership" wording for the portal's six ownership values.
CCM_OWNERSHIP = {
    Ownership.PROVIDER: "CSP-owned",
    Ownership.CUSTOMER: "CSC-owned",
    Ownership.SHARED: "Shared CSP and CSC",
    Ownership.THIRD_PARTY: "3rd-party outsourced",
    Ownership.SHARED_THIRD_PARTY: "Shared CSP and 3rd-party",
    Ownership.NOT_APPLICABLE: "NA",
}

# (header, width in characters)
COLUMNS = (
    ("Domain ID", 26),
    ("Domain", 30),
    ("CCM v4 domain", 12),
    ("Offering", 26),
    ("Offering kind", 14),
    ("SSRM Control Ownership", 20),
    ("CSP Implementation Description", 60),
    ("CSC Responsibilities", 60),
    ("Third-party Responsibilities", 40),
    ("Source", 48),
)
CSP_ROLES = (PartyRole.PROVIDER, PartyRole.CLOUD_PROVIDER)
SHEET = "CAIQ SSRM"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")

Json = dict[str, Any]


def caiq_rows(snapshot: Json) -> list[list[str]]:
    """The data rows, in display order: each domain, then each offering within it."""
    parties = {party["id"]: party for party in snapshot["parties"]}
    cells = {(cell["domain"], cell["offering"]): cell for cell in snapshot["cells"]}
    sources = "\n".join(f"{s['title']}: {s['url']}" for s in snapshot["sources"])
    rows = []
    for domain in snapshot["domains"]:
        for offering in snapshot["offerings"]:
            cell = cells.get((domain["id"], offering["id"]))
            duties = cell["duties"] if cell else []
            rows.append(
                [
                    domain["slug"],
                    domain["name"],
                    domain["category"],
                    offering["name"],
                    offering["kind"],
                    CCM_OWNERSHIP[cell["ownership"]] if cell else "",
                    _column(duties, parties, CSP_ROLES),
                    _column(duties, parties, (PartyRole.CUSTOMER,)),
                    _column(duties, parties, (PartyRole.THIRD_PARTY,)),
                    sources,
                ]
            )
    return rows


def caiq_workbook(
    snapshot: Json, *, version: str, published_at: datetime | None, exported_at: datetime
) -> bytes:
    """The XLSX file: the CAIQ-style sheet, then "About"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([header for header, _width in COLUMNS])
    for row in caiq_rows(snapshot):
        sheet.append([xlsx_text(value) for value in row])
    for index, (_header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP_TOP
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _about(workbook.create_sheet("About"), snapshot, version, published_at, exported_at)
    moment = exported_at.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = moment
    workbook.properties.title = f"{snapshot['provider']['name']}: CAIQ-style SSRM"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _about(sheet, snapshot: Json, version: str, published_at, exported_at) -> None:
    provider = snapshot["provider"]
    facts = [
        ("Provider", provider["name"]),
        ("Website", provider["website"]),
        ("Version", "draft (not published)" if version == "draft" else version),
        ("Published", _when(published_at) if published_at else ""),
        ("Snapshot SHA-256", snapshot_hash(snapshot)),
        ("Exported", _when(exported_at)),
        ("Sources", "\n".join(f"{s['title']}: {s['url']}" for s in snapshot["sources"])),
        (
            "Rows",
            "One per control domain and offering; CAIQ v4 columns, not one row per CCM control.",
        ),
        ("", ""),
        ("SSRM Control Ownership", "Meaning"),
    ]
    facts += [(CCM_OWNERSHIP[value], OWNERSHIP_HELP[value]) for value in Ownership]
    for label, value in facts:
        sheet.append([xlsx_text(label), xlsx_text(value)])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    legend_row = len(facts) - len(Ownership)
    for row in sheet.iter_rows():
        row[0].font = Font(bold=True)
        for cell in row:
            cell.alignment = WRAP_TOP
    for cell in sheet[legend_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def _column(duties: list[Json], parties: dict[int, Json], roles) -> str:
    """The items of the parties holding ``roles``; a party is named when several speak or
    when it is not the column's own party (the cloud provider in the CSP column)."""
    by_party: dict[int, list[str]] = defaultdict(list)
    for duty in duties:
        if parties[duty["party"]]["role"] in roles:
            by_party[duty["party"]].append(_item(duty))
    blocks = []
    for party_id, items in by_party.items():
        text = items[0] if len(items) == 1 else "\n".join(f"• {item}" for item in items)
        named = len(by_party) > 1 or parties[party_id]["role"] != roles[0]
        blocks.append(f"{parties[party_id]['name']}:\n{text}" if named else text)
    return "\n\n".join(blocks)


def _item(duty: Json) -> str:
    markers = []
    if duty["not_applicable"]:
        markers.append("Not applicable.")
    if duty["advanced"]:
        markers.append("(Advanced)")
    if duty["scope"].strip():
        markers.append(f"({duty['scope'].strip()})")
    text = " ".join([*markers, duty["text"].strip()]).strip()
    return text.replace("\n", "\n  ")


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
