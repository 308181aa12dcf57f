"""The one place that decides between a full page and an htmx partial."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str | None = None
) -> HttpResponse:
    """Render ``partial`` for htmx requests that target it, else the whole ``template``.

    Partials live beside their page (``search.html`` / ``_search_results.html``).
    History restores (``HX-History-Restore-Request``) always get the full page.
    """
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.history_restore_request:
        response = render(request, partial, context)
    else:
        response = render(request, template, context)
    response.headers["Vary"] = "HX-Request"
    return response
