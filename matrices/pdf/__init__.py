"""HTML-to-PDF rendering of matrix snapshots, and the URL fetcher that keeps it safe."""

from matrices.pdf.render import DocumentMeta, render_pdf

__all__ = ["DocumentMeta", "render_pdf"]
