"""Hostile duty HTML must not make the PDF renderer read files or reach the network.

Two local HTTP servers watch for leaks: a canary that counts every request,
and a redirector that answers 302 towards the canary. The hostile HTML is put
straight into the snapshot's ``text_html`` (bypassing the Markdown sanitiser)
and, separately, handed to WeasyPrint unsanitised through ``html_to_pdf``, so
each layer (the renderer's own cleaning, the scrubbing of attachments and
the URL fetcher) is shown to hold on its own.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from matrices.pdf import render, render_pdf
from matrices.pdf.content import duty_html
from matrices.pdf.fetcher import StaticAssetFetcher, static_root
from tests.matrices.pdf.pdftools import meta, pdf_objects, pdf_text, poppler

PASSWD_LINE = "root:x:0:0"
PYPROJECT_LINE = 'name = "srm-portal"'


@dataclass
class Server:
    url: str
    requests: list[str]


def _serve(answer_redirect_to: str | None) -> tuple[ThreadingHTTPServer, Server]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append(f"{self.command} {self.path}")
            if answer_redirect_to:
                self.send_response(302)
                self.send_header("Location", f"{answer_redirect_to}/redirected.png")
                self.end_headers()
                return
            body = b"body { background: red } /* canary */"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_HEAD = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, Server(f"http://127.0.0.1:{server.server_address[1]}", seen)


@pytest.fixture
def canary() -> Iterator[Server]:
    server, watched = _serve(None)
    yield watched
    server.shutdown()
    server.server_close()


@pytest.fixture
def redirector(canary) -> Iterator[Server]:
    server, watched = _serve(canary.url)
    yield watched
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_html(canary, redirector) -> str:
    big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000).decode()
    traversal = f"file://{static_root()}/../pyproject.toml"
    return "".join(
        [
            "<p>Hostile duty.</p>",
            '<img src="file:///etc/passwd">',
            '<a rel="attachment" href="file:///etc/passwd">x</a>',
            '<link rel="attachment" href="file:///etc/passwd">',
            f'<a rel="attachment" href="{traversal}">y</a>',
            f"<style>@import url({canary.url}/x.css); p {{ background: url({canary.url}/bg.png) }}"
            "</style>",
            f'<link rel="stylesheet" href="{canary.url}/link.css">',
            f'<img src="{canary.url}/canary.png">',
            f'<img src="{redirector.url}/to-canary.png">',
            f'<object data="{redirector.url}/object.svg"></object>',
            f'<img src="data:image/png;base64,{big}">',
            f'<img src="{traversal}">',
            f'<svg><image href="{canary.url}/svg.png" width="5" height="5"/></svg>',
            f'<base href="{canary.url}/"><img src="relative.png">',
        ]
    )


def assert_nothing_leaked(pdf: bytes, canary: Server, redirector: Server) -> None:
    assert canary.requests == []
    assert redirector.requests == []
    objects = pdf_objects(pdf)
    for marker in (b"/EmbeddedFile", b"/Filespec", b"/EmbeddedFiles"):
        assert marker not in objects
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:  # pdfdetach reads no stdin
        file.write(pdf)
        file.flush()
        detached = subprocess.run(  # noqa: S603 - fixed tool
            [poppler("pdfdetach"), "-list", file.name], capture_output=True, check=True
        )
    assert detached.stdout.decode().startswith("0 embedded files")
    text = pdf_text(pdf)
    assert PASSWD_LINE not in text
    assert PYPROJECT_LINE not in text
    assert "requires-python" not in text


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for, to show refusals happened there."""
    urls: list[str] = []

    class Recording(StaticAssetFetcher):
        def fetch(self, url, headers=None):
            urls.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(render, "StaticAssetFetcher", Recording)
    return urls


def test_hostile_duty_html_in_a_snapshot_leaks_nothing(
    tiny_snapshot, hostile_html, canary, redirector
):
    snapshot = tiny_snapshot(
        {"text_html": hostile_html},
        sources=[{"title": "Local file", "url": "file:///etc/passwd"}],
    )
    pdf = render_pdf(snapshot, meta())
    assert "Hostile duty." in pdf_text(pdf)
    assert_nothing_leaked(pdf, canary, redirector)


def test_unsanitised_html_given_to_weasyprint_leaks_nothing(
    hostile_html, canary, redirector, fetched
):
    pdf = render.html_to_pdf(f"<html><head></head><body>{hostile_html}</body></html>")
    assert_nothing_leaked(pdf, canary, redirector)
    # The network stayed quiet because the fetcher refused, not because nothing asked.
    assert f"{canary.url}/canary.png" in fetched
    assert f"{redirector.url}/to-canary.png" in fetched
    assert "file:///etc/passwd" in fetched


def test_attachments_of_allowed_static_files_are_dropped_too(canary, redirector):
    pdf = render.html_to_pdf(
        '<html><head><link rel="attachment" href="document.css"></head>'
        '<body><p><a rel="attachment" href="mark.svg">logo</a></p></body></html>'
    )
    assert_nothing_leaked(pdf, canary, redirector)


def test_the_bundled_logo_still_loads(fetched):
    render_pdf(_minimal_snapshot(), meta())
    assert any(url.endswith("/static/matrices/pdf/mark.svg") for url in fetched)


def _minimal_snapshot() -> dict:
    return {
        "schema": 1,
        "provider": {"id": 1, "name": "Acme", "slug": "acme", "website": "", "summary": ""},
        "sources": [],
        "offerings": [],
        "parties": [],
        "domains": [],
        "cells": [],
    }


def test_the_renderer_cleans_duty_html_again(hostile_html):
    cleaned = duty_html(hostile_html + '<a href="https://example.com" rel="attachment">ok</a>')
    for forbidden in ("<img", "<style", "<link", "<base", "<object", "<svg", "attachment", "file:"):
        assert forbidden not in cleaned
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in cleaned


@pytest.mark.parametrize("href", ["../../../etc/passwd", "/etc/passwd", "//evil.example/x", "#d-1"])
def test_the_renderer_drops_relative_links_from_duty_html(href):
    assert (
        duty_html(f'<p><a href="{href}">x</a></p>')
        == '<p><a rel="noopener noreferrer nofollow">x</a></p>'
    )
