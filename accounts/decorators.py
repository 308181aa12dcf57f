"""The view decorator that turns a provider slug into a provider the user may act on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.access import provider_for_user
from accounts.roles import Action
from matrices.models import Provider


def provider_required(action: Action = Action.VIEW) -> Callable:
    """Replace the ``provider`` slug argument with the Provider, checked for ``action``.

    The provider comes with its source documents, which every page shows.

    Those who may not see the provider get 404 (its existence stays private);
    anonymous visitors who need to act are sent to sign in; signed-in users
    who may see it but not act get 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, provider: str, *args, **kwargs) -> HttpResponse:
            try:
                provider_obj = provider_for_user(
                    Provider.objects.prefetch_related("sources"), provider, request.user, action
                )
            except PermissionDenied:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise
            try:
                return view(request, provider_obj, *args, **kwargs)
            except PermissionDenied:
                # Refused deeper in (e.g. the draft): signing in may help.
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise

        return wrapper

    return decorator
