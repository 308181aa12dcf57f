"""The PDF URL fetcher's allow-list, tested directly (no rendering)."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.request import HTTPRedirectHandler

import pytest
from weasyprint.urls import URLFetcher

from matrices.pdf.fetcher import DATA_URL_LIMIT, ResourceRefused, StaticAssetFetcher, static_root

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@pytest.fixture
def fetcher() -> StaticAssetFetcher:
    return StaticAssetFetcher()


def test_it_is_a_weasyprint_url_fetcher_without_redirects(fetcher):
    assert isinstance(fetcher, URLFetcher)
    assert not any(isinstance(h, HTTPRedirectHandler) for h in fetcher.handlers)


def test_it_serves_a_bundled_static_asset(fetcher):
    path = static_root() / "matrices" / "pdf" / "mark.svg"
    response = fetcher(path.as_uri())
    assert response.content_type == "image/svg+xml"
    assert response.read() == path.read_bytes()


def test_it_serves_the_document_stylesheet_as_css(fetcher):
    response = fetcher((static_root() / "matrices" / "pdf" / "document.css").as_uri())
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "suffix",
    [
        "/../pyproject.toml",
        "/matrices/pdf/../../../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/matrices/%2E%2E/%2E%2E/manage.py",
    ],
)
def test_it_refuses_paths_that_climb_out_of_static(fetcher, suffix):
    with pytest.raises(ResourceRefused):
        fetcher(f"file://{static_root()}{suffix}")


def test_it_refuses_files_outside_static(fetcher):
    with pytest.raises(ResourceRefused):
        fetcher("file:///etc/passwd")


def test_it_refuses_a_symlink_that_leads_out_of_static(tmp_path: Path):
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (root / "link.css").symlink_to(secret)
    with pytest.raises(ResourceRefused, match="outside"):
        StaticAssetFetcher(root=root)((root / "link.css").as_uri())


def test_it_refuses_static_files_of_other_types(fetcher):
    with pytest.raises(ResourceRefused, match="type"):
        fetcher((static_root() / "matrices" / "portal.js").as_uri())


def test_it_refuses_missing_files(fetcher):
    with pytest.raises(ResourceRefused):
        fetcher((static_root() / "matrices" / "pdf" / "nope.css").as_uri())


def test_it_refuses_file_urls_naming_another_host(fetcher):
    path = static_root() / "matrices" / "pdf" / "mark.svg"
    with pytest.raises(ResourceRefused, match="host"):
        fetcher(f"file://attacker.example{path}")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.com/logo.png",
        "ftp://example.com/x.png",
        "gopher://example.com/",
        "jar:file:///etc/passwd!/",
        "FILE:///etc/passwd",
        "/etc/passwd",
        "mark.svg",
    ],
)
def test_it_refuses_other_schemes_and_relative_urls(fetcher, url):
    with pytest.raises(ResourceRefused):
        fetcher(url)


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("data:image/svg+xml;base64," + base64.b64encode(SVG).decode(), "image/svg+xml"),
        ("data:text/css,body%20%7B%20color%3A%20red%20%7D", "text/css"),
        ("data:image/png;base64,iVBORw0KGgo=", "image/png"),
    ],
)
def test_it_serves_small_data_urls_of_allowed_types(fetcher, url, content_type):
    assert fetcher(url).content_type == content_type


def test_it_refuses_a_data_url_over_the_limit(fetcher):
    payload = base64.b64encode(b"\x89PNG" + b"\0" * DATA_URL_LIMIT).decode()
    with pytest.raises(ResourceRefused, match="too large"):
        fetcher(f"data:image/png;base64,{payload}")


def test_it_refuses_a_percent_encoded_data_url_over_the_limit(fetcher):
    with pytest.raises(ResourceRefused, match="too large"):
        fetcher("data:text/css," + "a" * (DATA_URL_LIMIT + 1))


@pytest.mark.parametrize(
    "url",
    [
        "data:text/html,<b>x</b>",
        "data:,plain",
        "data:application/pdf;base64,JVBERi0=",
        "data:image/svg+xml;base64,!!!not-base64!!!",
        "data:image/png",
    ],
)
def test_it_refuses_other_or_malformed_data_urls(fetcher, url):
    with pytest.raises(ResourceRefused):
        fetcher(url)
