"""What every page of a provider shares: the provider checked for the action, which
edition of its matrix the page shows, and the context of its header and tabs.

Each provider page is one view function: ``@provider_required(action)``, then
``provider_page(request, provider, "page-name", edition=..., ...)`` for its
context. What the viewer may do and which offerings the tabs list are decided
here, from the edition being shown (or the one the viewer sees by default),
so no page can list an offering its viewer may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.access import awaiting_agreement, capabilities, provider_for_user
from accounts.roles import Action
from matrices.models import Provider
from matrices.selectors.editions import Edition, edition_for, offerings_seen
from matrices.views.cache import RENDER_VERSION

# ``?view=`` on the pages: the draft, or the latest published version.
WHICH_BY_VIEW = {"draft": "draft", "published": "latest"}


def provider_required(action: Action = Action.VIEW) -> Callable:
    """Replace the ``provider`` slug argument with the Provider, checked for ``action``.

    The provider comes with its source documents, which every page shows.

    Those who may not see the provider get 404 (its existence stays private), but a
    reader whose role waits for the provider's NDA is sent to it (``trust:nda``);
    anonymous visitors who need to act, or who are refused deeper in (the
    draft), are sent to sign in; signed-in users who may see it but not act
    get 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, provider: str, *args, **kwargs) -> HttpResponse:
            try:
                try:
                    provider_obj = provider_for_user(
                        Provider.objects.prefetch_related("sources"), provider, request.user, action
                    )
                except Http404:
                    if awaiting_agreement(request.user, provider):
                        # A reader whose role waits for the provider's NDA: show it to them.
                        return redirect(reverse("trust:nda", args=[provider]))
                    raise
                return view(request, provider_obj, *args, **kwargs)
            except PermissionDenied:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise

        return wrapper

    return decorator


def page_edition(request: HttpRequest, provider: Provider, *, editing: bool = False) -> Edition:
    """The edition a page shows: ``?view=draft`` or ``?view=published``, else the default
    (the draft for editors on the pages where they edit, ``editing``)."""
    which = WHICH_BY_VIEW.get(request.GET.get("view", ""), "")
    return edition_for(request.user, provider, which, editing=editing)


def provider_page(
    request: HttpRequest,
    provider: Provider,
    page: str,
    *,
    edition: Edition | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The context of a provider page: its header, its tabs, and what the viewer may do.

    The tabs list the offerings of ``edition`` (the matrix the page shows) or,
    on pages that show none, of the edition the viewer sees by default; links
    from a draft page stay on the draft.
    """
    if edition is not None:
        offerings = edition.offerings
    else:
        offerings = offerings_seen(request.user, [provider])[provider.pk]
    query = "?view=draft" if edition is not None and edition.is_draft else ""
    return {
        "provider": provider,
        "page": page,
        "edition": edition,
        "may": capabilities(request.user, provider),
        "tabs": [
            {
                "name": offering["name"],
                "slug": offering["slug"],
                "url": reverse("matrices:offering", args=[provider.slug, offering["slug"]]) + query,
            }
            for offering in offerings
        ],
        "view_query": query,
        "render_version": RENDER_VERSION,
        **extra,
    }
