"""The only way WeasyPrint may read anything while rendering a PDF.

A PDF is rendered from content that people typed (duty texts, names, URLs of
source documents). WeasyPrint's default fetcher would follow any URL in it:
``file:///etc/passwd`` as an image, ``http://169.254.169.254/`` as a
stylesheet, a redirect to either, or a ``<link rel="attachment">`` that embeds
a server file into the PDF. ``StaticAssetFetcher`` allows exactly two things:

* ``file://`` URLs whose path, once ``..`` and symlinks are resolved, is a
  regular file inside the portal's bundled static directory and has one of a
  few asset types (CSS, SVG, PNG);
* small ``data:`` URLs of those same types.

Everything else raises ``ResourceRefused``, which WeasyPrint treats as a
resource that failed to load: it logs it and renders the PDF without it. No
request ever leaves the process, so there is no redirect to follow.
"""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

ASSET_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
DATA_TYPES = frozenset(ASSET_TYPES.values())
DATA_URL_LIMIT = 32 * 1024  # bytes once decoded
FILE_LIMIT = 2 * 1024 * 1024


class ResourceRefused(ValueError):
    """A URL outside the allow-list; WeasyPrint skips the resource and carries on."""


def static_root() -> Path:
    """The portal's bundled static directory, the only place PDFs may read from."""
    return (Path(settings.BASE_DIR) / "static").resolve()


class StaticAssetFetcher(URLFetcher):
    """A WeasyPrint ``URLFetcher`` that serves bundled static assets and nothing else."""

    def __init__(self, root: Path | None = None, *, data_limit: int = DATA_URL_LIMIT) -> None:
        # allow_redirects=False drops urllib's redirect handler; it is never
        # reached anyway because ``fetch`` below never opens a connection.
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = (root or static_root()).resolve()
        self.data_limit = data_limit

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        match = UNICODE_SCHEME_RE.match(url)
        scheme = match[1].lower() if match else ""
        try:
            if scheme == "file":
                return self._fetch_file(url)
            if scheme == "data":
                return self._fetch_data(url)
            raise ResourceRefused(f"scheme {scheme or '(none)'!r} is not allowed")
        except ResourceRefused as refusal:
            logger.warning("PDF resource refused: %s (%s)", _shorten(url), refusal)
            raise

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceRefused("file URLs on another host are not allowed")
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError) as error:
            raise ResourceRefused("no such file") from error
        if not path.is_relative_to(self.root):
            raise ResourceRefused("outside the static directory")
        content_type = ASSET_TYPES.get(path.suffix.lower())
        if content_type is None:
            raise ResourceRefused(f"file type {path.suffix!r} is not allowed")
        if not path.is_file() or path.stat().st_size > FILE_LIMIT:
            raise ResourceRefused("not a regular file of reasonable size")
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        # base64 grows data by 4/3; refuse before decoding anything large.
        if len(url) > self.data_limit * 4 // 3 + 256:
            raise ResourceRefused("data URL too large")
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise ResourceRefused("malformed data URL")
        params = [p.strip() for p in header.split(";")]
        content_type = (params[0] or "text/plain").lower()
        if content_type not in DATA_TYPES:
            raise ResourceRefused(f"data URL type {content_type!r} is not allowed")
        try:
            if "base64" in (p.lower() for p in params[1:]):
                body = base64.b64decode(unquote(payload), validate=True)
            else:
                body = unquote_to_bytes(payload)
        except (binascii.Error, ValueError) as error:
            raise ResourceRefused("malformed data URL") from error
        if len(body) > self.data_limit:
            raise ResourceRefused("data URL too large")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def _shorten(url: str) -> str:
    return url if len(url) <= 120 else f"{url[:117]}..."
