"""Published versions never change, so their public pages are cached whole.

Only anonymous visitors get cached pages (a signed-in user's page names them
and carries their CSRF token). Whether the provider is public and which
version it publishes is the access rule's answer, remembered in the cache and
forgotten when a publication, a visibility change or a deletion commits
(``matrices.selectors.public``); the cache key holds that version's snapshot
hash and the version of the templates, so a page is never stale after a new
publication or a deploy, and a provider made private is never served from it.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from matrices.selectors.public import public_version_hash
from matrices.views.reading import read_again

TIMEOUT = 7 * 24 * 3600


def _render_version() -> str:
    """Identifies the code that writes the HTML (templates and template tags), so that a
    deploy that changes them never serves pages or fragments cached by the previous one."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    sources = [
        *sorted((root / "templates").rglob("*.html")),
        *sorted((root / "matrices" / "templatetags").glob("*.py")),
    ]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


RENDER_VERSION = _render_version()
local = caches["local"]


def _entry(content: bytes, read: dict | None = None) -> dict:
    """What is kept of a page: its bytes compressed, its ETag, and what reading it is
    (``matrices.views.reading``), to count the reads served from the cache."""
    return {
        "gzip": gzip.compress(content, compresslevel=6),
        "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
        "read": read,
    }


def _cached_response(request: HttpRequest, entry: dict, *, hit: bool) -> HttpResponse:
    """The cached page: 304 when the browser has it, gzip when it takes it."""
    if request.headers.get("If-None-Match") == entry["etag"]:
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(entry["gzip"])
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(entry["gzip"]))
    response.headers["ETag"] = entry["etag"]
    response.headers["Vary"] = "Cookie, Accept-Encoding, HX-Request"
    response.headers["X-Page-Cache"] = "hit" if hit else "miss"
    return response


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs of a public, published provider's page from the cache.

    Whether the visitor may read it, and which version, is the access rule's answer,
    remembered in the shared cache until a publication or a visibility change
    (``public_version_hash``). The page is kept by that version's hash, in the shared
    cache and in this process's memory (it never changes), compressed, with an ETag:
    a browser that has the page gets 304.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, provider: str, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated or getattr(request, "htmx", False):
            return view(request, provider, *args, **kwargs)
        digest = public_version_hash(provider)
        if digest is None:
            return view(request, provider, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        # A page of one version never changes: kept in this process too, not only shared.
        key = f"srm:page:{RENDER_VERSION}:{digest}:{path}"
        entry = local.get(key) or cache.get(key)
        hit = entry is not None
        if not hit:
            response = view(request, provider, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            entry = _entry(response.content, getattr(request, "content_read", None))
            cache.set(key, entry, TIMEOUT)
        elif entry.get("read"):
            # Served without the view, still read: counted as the view would have. A 304
            # counts too: the page carries no max-age, so a browser asks again on each
            # visit and shows its copy, a view as much as a signed-in reader's 200 is.
            read_again(request, entry["read"])
        local.set(key, entry, TIMEOUT)
        return _cached_response(request, entry, hit=hit)

    return wrapper
