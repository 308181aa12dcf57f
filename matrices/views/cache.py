"""Published versions never change, so their public pages are cached whole.

Only anonymous visitors get cached pages (a signed-in user's page names them
and carries their CSRF token). Every request still asks the database whether
the provider is public and which version is published, with one raw query
(the same rule as ``restrict_providers`` for anonymous visitors: public and
published); the cache key holds that version's snapshot hash, so a page is
never stale after a new publication, and a provider made private or
unpublished is never served from the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from accounts.roles import Visibility

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

_PUBLIC_VERSION_SQL = """
    SELECT v.snapshot_hash
    FROM matrices_provider p JOIN matrices_matrixversion v ON v.id = p.published_id
    WHERE p.slug = %s AND p.visibility = %s
"""


def public_version_hash(slug: str) -> str | None:
    """The published snapshot hash of a public provider, or None."""
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_VERSION_SQL, [slug, Visibility.PUBLIC.value])
        row = cursor.fetchone()
    return row[0] if row else None


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs of a public, published provider's page from the cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, provider: str, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated or getattr(request, "htmx", False):
            return view(request, provider, *args, **kwargs)
        digest = public_version_hash(provider)
        if digest is None:
            return view(request, provider, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"srm:page:{RENDER_VERSION}:{digest}:{path}"
        content = cache.get(key)
        if content is not None:
            response = HttpResponse(content)
            response.headers["X-Page-Cache"] = "hit"
            return response
        response = view(request, provider, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response.content, TIMEOUT)
        return response

    return wrapper
