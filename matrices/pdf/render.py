"""A matrix snapshot as a trust-center PDF, rendered with WeasyPrint.

``render_pdf`` is the whole public API: a snapshot (see ``matrices.snapshot``)
and the version's metadata in, PDF bytes out. It never touches the database
and never reaches outside the portal's static directory (see ``fetcher``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from matrices.pdf.content import document_content
from matrices.pdf.fetcher import StaticAssetFetcher, static_root

ASSET_DIR = "matrices/pdf"
STYLESHEET = "document.css"
TEMPLATE = "matrices/pdf/document.html"

_HASH = re.compile(r"[0-9a-f]{64}")
# Characters left as they are inside a CSS string; everything else is escaped.
_CSS_SAFE = re.compile(r"[A-Za-z0-9 .,:;()_@/+=-]")


@dataclass(frozen=True)
class DocumentMeta:
    """What the version says about itself: shown on the cover, in the footer and metadata."""

    version_label: str  # "Version 3" or "Draft"
    effective_date: str  # ISO date, e.g. "2026-11-22"
    snapshot_hash: str  # SHA-256 hex of the snapshot (matrices.snapshot.snapshot_hash)
    classification: str = "Public"
    approver: str = ""
    authors: tuple[str, ...] = ()
    change_summary: str = ""
    history: tuple[tuple[str, str, str], ...] = ()  # (version label, date, summary), newest first
    watermark: str = ""  # "DRAFT" for drafts, across every page
    verify_url: str = ""  # where a reader checks the file (published versions only)

    def __post_init__(self) -> None:
        if not _HASH.fullmatch(self.snapshot_hash):
            raise ValueError("snapshot_hash must be 64 lowercase hex characters.")

    @property
    def hash_prefix(self) -> str:
        return self.snapshot_hash[:12]


def render_pdf(
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    *,
    variant: str = "matrix",
    offering: str | None = None,
) -> bytes:
    """The PDF of ``snapshot``: the whole matrix, one ``offering``, or its customer checklist.

    Raises ValueError for an unknown ``variant`` or ``offering``.
    """
    content = document_content(snapshot, variant, offering)
    html = render_to_string(TEMPLATE, {"c": content, "meta": meta})
    return html_to_pdf(html, page_css=page_css(content.provider["name"], content.title, meta))


def html_to_pdf(html: str, *, page_css: str = "") -> bytes:
    """Lay out ``html`` with the document stylesheet; every resource goes through the fetcher.

    Kept separate from ``render_pdf`` so the safety tests can hand WeasyPrint
    hostile HTML directly, without the sanitising done while building content.
    """
    fetcher = StaticAssetFetcher()
    assets = static_root() / ASSET_DIR
    base_url = assets.as_uri() + "/"
    stylesheets = [
        CSS(
            string=(assets / STYLESHEET).read_text(encoding="utf-8"),
            base_url=base_url,
            url_fetcher=fetcher,
        )
    ]
    if page_css:
        stylesheets.append(CSS(string=page_css, base_url=base_url, url_fetcher=fetcher))
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=stylesheets
    )
    # <link rel=attachment> and <a rel=attachment> would embed files in the PDF.
    # The fetcher refuses anything outside static/ already; dropping them here
    # means not even a static asset can be smuggled in as an attachment.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf(attachments=[], pdf_identifier=_identifier(html))


def page_css(provider: str, title: str, meta: DocumentMeta) -> str:
    """The running header and footer, which CSS margin boxes can only take as CSS strings."""
    footer = f" · {meta.version_label} · {meta.hash_prefix}"
    rules = [
        "@page { "
        f"@bottom-left {{ content: {css_string(f'{provider} · {title}')}; }} "
        f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages) '
        f"{css_string(footer)}; }} "
        f"@top-right {{ content: {css_string(meta.classification)}; }} "
        "}"
    ]
    return "\n".join(rules)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string; anything but plain characters is hex-escaped.

    Labels and stamps are typed by people, so a quote or a brace must not end
    the string and start a rule of its own.
    """
    # An escape ends at the space after it, which CSS swallows: `\b7 ` is one "·".
    escaped = "".join(ch if _CSS_SAFE.match(ch) else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _identifier(html: str) -> bytes:
    # A stable file identifier: the same document renders to the same bytes.
    return hashlib.md5(html.encode(), usedforsecurity=False).hexdigest().encode()
