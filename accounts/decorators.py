"""View decorators for the site-wide pages (the provider pages check their provider through
``matrices.views.provider_page.provider_required``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.access import is_site_admin


def superuser_required(doing: str) -> Callable:
    """Site administrators only: anonymous visitors are sent to sign in, others get 403
    saying that only site administrators ``doing`` (e.g. "read the site-wide audit log")."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_site_admin(request.user):
                raise PermissionDenied(f"Only site administrators {doing}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
