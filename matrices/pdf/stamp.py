"""Naming a PDF's reader on every page of a PDF rendered once for every reader.

A gated provider's PDF says who downloaded it and when, atop every page. The
document itself is rendered once per version (in the background, at
publication); each download lays the reader's line over its pages: one page
is laid out (the line in the page's top-left margin box, as the document's
own running header would be) and merged onto every page. A few tenths of a
second for a hundred pages, where rendering the document anew takes tens.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML

from matrices.pdf.fetcher import StaticAssetFetcher
from matrices.pdf.render import css_string

# The page box and the stamp's margin box as document.css sets them.
STAMP_CSS = """
@page {
  size: A4;
  margin: 20mm 17mm 18mm;
  @top-left { content: %s; font-size: 7pt; color: #64748b; vertical-align: bottom;
              padding-bottom: 3mm; font-family: "Liberation Sans", "DejaVu Sans", sans-serif; }
}
"""


def stamp_overlay(stamp: str) -> bytes:
    """One empty page bearing ``stamp`` where a page of the document has its header."""
    fetcher = StaticAssetFetcher()
    return HTML(string="<p></p>", url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=STAMP_CSS % css_string(stamp), url_fetcher=fetcher)]
    )


def stamp_pdf(content: bytes, stamp: str) -> bytes:
    """``content`` with ``stamp`` laid over every page (metadata and outline kept)."""
    overlay = PdfReader(io.BytesIO(stamp_overlay(stamp))).pages[0]
    writer = PdfWriter(clone_from=io.BytesIO(content))
    for page in writer.pages:
        page.merge_page(overlay)
        page.compress_content_streams()
    # The overlay's font, merged onto each page, is kept once.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
