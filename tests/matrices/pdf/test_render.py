"""The PDF's content: SingleStore's demo matrix in each variant, read back with poppler.

Each SingleStore PDF is rendered once per module (about a second or two each).
"""

from __future__ import annotations

import re

import pytest
import tinycss2

from matrices.pdf import DocumentMeta, render_pdf
from matrices.pdf.render import css_string
from matrices.pdf.stamp import stamp_pdf
from matrices.snapshot import snapshot_hash
from tests.conftest import DEMO_SNAPSHOTS
from tests.matrices.pdf.pdftools import (
    HASH,
    duty_texts,
    meta,
    pdf_info,
    pdf_objects,
    pdf_page_count,
    pdf_text,
    plain,
)

# The demo snapshots are read from the test database, which pytest-django creates only
# for the databases that the collected tests mark as used: run alone, this file must say so.
pytestmark = pytest.mark.django_db

STAMP = "Downloaded by Jane Roe (jroe) on 2026-11-22 14:03 UTC"


@pytest.fixture(scope="module")
def snapshot(django_db_setup) -> dict:
    return DEMO_SNAPSHOTS["singlestore"]


@pytest.fixture(scope="module")
def matrix_pdf(snapshot) -> bytes:
    return render_pdf(snapshot, meta(snapshot_hash=snapshot_hash(snapshot)))


@pytest.fixture(scope="module")
def matrix_text(matrix_pdf) -> str:
    return pdf_text(matrix_pdf)


@pytest.fixture(scope="module")
def offering_pdf(snapshot) -> bytes:
    draft = meta(version_label="Draft", watermark="DRAFT")
    return stamp_pdf(render_pdf(snapshot, draft, variant="offering", offering="helios-byoc"), STAMP)


@pytest.fixture(scope="module")
def checklist_pdf(snapshot) -> bytes:
    return render_pdf(snapshot, meta(), variant="checklist", offering="self-managed")


def only_in(snapshot: dict, offering: str) -> set[str]:
    """Duty texts of ``offering`` that no other offering shares."""
    others = [o["slug"] for o in snapshot["offerings"] if o["slug"] != offering]
    shared = set().union(*(duty_texts(snapshot, offering=o) for o in others))
    return duty_texts(snapshot, offering=offering) - shared


# The whole matrix


def test_the_matrix_contains_every_duty_text(snapshot, matrix_text):
    texts = duty_texts(snapshot)
    assert len(texts) > 100  # the demo matrix, not an empty one
    missing = [t for t in texts if t not in matrix_text]
    assert missing == []


def test_the_matrix_names_every_domain_and_offering(snapshot, matrix_text):
    for name in [d["name"] for d in snapshot["domains"]] + [
        o["name"] for o in snapshot["offerings"]
    ]:
        assert name in matrix_text


def test_the_cover_shows_title_version_date_classification_and_approver(matrix_pdf):
    cover = pdf_text(matrix_pdf, page=1)
    for expected in (
        "SingleStore",
        "Shared Responsibility Matrix",
        "Version 3",
        "2026-11-22",
        "Public",
        "Alex Approver",
    ):
        assert expected in cover


def test_every_page_has_the_numbered_footer_with_version_and_hash_prefix(snapshot, matrix_pdf):
    pages = pdf_page_count(matrix_pdf)
    prefix = snapshot_hash(snapshot)[:12]
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages} · Version 3 · {prefix}" in pdf_text(matrix_pdf, page)


def test_the_contents_give_each_domain_its_page_number(snapshot, matrix_pdf):
    contents = pdf_text(matrix_pdf, page=2)
    for number, domain in enumerate(snapshot["domains"], start=1):
        found = re.search(rf"3\.{number} {re.escape(domain['name'])} (\d+)", contents)
        assert found, domain["name"]
        assert f"3.{number} {domain['name']}" in pdf_text(matrix_pdf, int(found[1]))


def test_not_applicable_items_say_so(snapshot, matrix_text):
    na_items = sum(d["not_applicable"] for c in snapshot["cells"] for d in c["duties"])
    assert na_items > 0
    assert matrix_text.count("Not applicable") >= na_items


def test_the_legend_lists_the_six_ccm_ownership_values(matrix_text):
    for label in (
        "Provider-owned",
        "Customer-owned",
        "Shared (provider and customer)",
        "Third-party outsourced",
        "Shared (provider and third party)",
        "Not applicable",
    ):
        assert label in matrix_text


def test_the_pdf_metadata_names_document_and_provider(matrix_pdf):
    info = pdf_info(matrix_pdf)
    assert info["Title"] == "SingleStore — Shared Responsibility Matrix (Version 3)"
    assert info["Author"] == "SingleStore"
    assert "Version 3" in info["Subject"]


def test_source_documents_are_clickable_links(snapshot, matrix_text, matrix_pdf):
    url = snapshot["sources"][0]["url"]
    assert url in matrix_text
    assert f"/URI ({url})".encode() in pdf_objects(matrix_pdf)


def test_a_published_matrix_has_no_watermark_or_stamp(matrix_text):
    assert "DRAFT" not in matrix_text
    assert "Downloaded by" not in matrix_text


# One offering


def test_the_offering_pdf_holds_only_that_offering(snapshot, offering_pdf):
    text = pdf_text(offering_pdf)
    assert "Shared Responsibility Matrix — SingleStore Helios BYOC" in text
    assert [t for t in duty_texts(snapshot, offering="helios-byoc") if t not in text] == []
    elsewhere = only_in(snapshot, "self-managed")
    assert elsewhere
    assert [t for t in elsewhere if t in text] == []


def test_the_draft_watermark_and_the_stamp_are_on_every_page(offering_pdf):
    for page in range(1, pdf_page_count(offering_pdf) + 1):
        text = pdf_text(offering_pdf, page, raw=True)
        assert "DRAFT" in text, page
        assert STAMP in text, page


# The customer checklist


def test_the_checklist_lists_the_customers_duties_and_nothing_else(snapshot, checklist_pdf):
    text = pdf_text(checklist_pdf)
    assert "Customer checklist — SingleStore Self-managed" in text
    mine_id = next(o["id"] for o in snapshot["offerings"] if o["slug"] == "self-managed")
    roles = {p["id"]: p["role"] for p in snapshot["parties"]}
    mine, theirs = set(), set()
    for cell in snapshot["cells"]:
        for duty in cell["duties"]:
            words = plain(duty["text_html"])
            if not words:
                continue
            if cell["offering"] == mine_id and roles[duty["party"]] == "customer":
                mine.add(words)
            else:
                theirs.add(words)
    assert mine
    assert [t for t in mine if t not in text] == []
    assert [t for t in theirs - mine if t in text] == []


def test_the_checklist_lists_domains_with_nothing_for_the_customer(snapshot, checklist_pdf):
    mine_id = next(o["id"] for o in snapshot["offerings"] if o["slug"] == "self-managed")
    customers = {p["id"] for p in snapshot["parties"] if p["role"] == "customer"}
    names = {d["id"]: d["name"] for d in snapshot["domains"]}
    empty = [
        names[c["domain"]]
        for c in snapshot["cells"]
        if c["offering"] == mine_id
        and not any(d["party"] in customers and not d["not_applicable"] for d in c["duties"])
    ]
    text = pdf_text(checklist_pdf)
    tail = text[text.rindex("3 Nothing required from the customer") :]  # past the contents
    assert empty
    for name in empty:
        assert name in tail


# Markers, arguments and escaping (small snapshots)


def test_markers_tag_advanced_scoped_and_not_applicable_items(tiny_snapshot):
    snapshot = tiny_snapshot(
        {"text_html": "<p>Rotate the keys.</p>", "advanced": True, "scope": "Cloud Console"},
        {"party": 2, "text_html": "<p>Out of scope here.</p>", "not_applicable": True},
    )
    text = pdf_text(render_pdf(snapshot, meta()))
    assert "Cloud Console Advanced Rotate the keys." in text
    assert "Not applicable Out of scope here." in text


@pytest.mark.parametrize(
    ("variant", "offering"),
    [("poster", None), ("offering", "nope"), ("checklist", None), ("matrix", "managed")],
)
def test_it_rejects_an_unknown_variant_or_offering(tiny_snapshot, variant, offering):
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the mistake
        render_pdf(tiny_snapshot(), meta(), variant=variant, offering=offering)


def test_the_meta_rejects_a_hash_that_is_not_sha256_hex():
    with pytest.raises(ValueError, match="snapshot_hash"):
        DocumentMeta(version_label="Draft", effective_date="2026-11-22", snapshot_hash="abc")


@pytest.mark.parametrize(
    "text", ['Jane "}" @page { margin: 0 }', "back\\slash\nnew line", "Zoë · 東京 \U0001f512"]
)
def test_css_strings_carry_any_text_verbatim(text):
    token = tinycss2.parse_one_component_value(css_string(text))
    assert token.type == "string"
    assert token.value == text


def test_a_stamp_with_css_syntax_is_printed_verbatim(tiny_snapshot):
    stamp = 'Downloaded by "} @page { @top-left { content: "pwned" } } (x)'
    text = pdf_text(
        stamp_pdf(render_pdf(tiny_snapshot({"text_html": "<p>Do it.</p>"}), meta()), stamp)
    )
    assert stamp in text
    assert "pwned" not in text.replace(stamp, "")
    assert HASH[:12] in text


def test_the_same_snapshot_and_meta_render_to_the_same_bytes(tiny_snapshot):
    snapshot = tiny_snapshot({"text_html": "<p>Do it.</p>"})
    assert render_pdf(snapshot, meta()) == render_pdf(snapshot, meta())
