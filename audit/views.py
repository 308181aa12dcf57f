"""The audit log pages and exports: a provider's log, the site-wide log, CSV and JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.access import capabilities
from accounts.decorators import provider_required
from accounts.roles import Action
from audit import exports, selectors
from audit.filters import OBJECT_TYPE_LABELS, AuditRecordFilter
from matrices.models import Provider
from matrices.views.htmx import render_page


def superuser_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Site administrators only: anonymous visitors are sent to sign in, others get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied("Only site administrators read the site-wide audit log.")
        return view(request, *args, **kwargs)

    return wrapper


def _filter_params(request: HttpRequest, filterset: AuditRecordFilter) -> QueryDict:
    """The non-empty filters of the query string, to carry over to page and export links."""
    params = QueryDict(mutable=True)
    for name in filterset.filters:
        value = request.GET.get(name, "").strip()
        if value:
            params[name] = value
    return params


def _urls(provider: Provider | None) -> dict[str, str]:
    """The log's own address and its exports', for the provider or the whole site."""
    if provider is None:
        return {
            "log_url": reverse("audit:site_log"),
            "csv_url": reverse("audit:site_export_csv"),
            "json_url": reverse("audit:site_export_json"),
        }
    return {
        "log_url": reverse("audit:provider_log", args=[provider.slug]),
        "csv_url": reverse("audit:provider_export_csv", args=[provider.slug]),
        "json_url": reverse("audit:provider_export_json", args=[provider.slug]),
    }


def _log(request: HttpRequest, provider: Provider | None) -> HttpResponse:
    filterset = AuditRecordFilter(request.GET, queryset=selectors.audit_records(provider=provider))
    page, subject = None, None
    if filterset.is_valid():
        page = selectors.log_page(filterset.qs, before_seq=filterset.form.cleaned_data["before"])
        if filterset.object_filter:
            object_type, object_id = filterset.object_filter
            subject = {
                "type": OBJECT_TYPE_LABELS.get(object_type, object_type),
                "id": object_id,
                "label": selectors.object_label(filterset.qs),
            }
    context = {
        "provider": provider,
        "page": "audit",
        "form": filterset.form,
        "filter_errors": [] if page else filterset.error_lines(),
        "log": page,
        "records": page.records if page else [],
        "subject": subject,
        "filter_params": _filter_params(request, filterset),
        "appending": bool(getattr(request, "htmx", False)),
        **_urls(provider),
    }
    if provider is not None:
        # The provider's tabs, as on its other pages.
        context["may"] = capabilities(request.user, provider)
        context["provider_offerings"] = list(provider.offerings.all())
    return render_page(request, "audit/log.html", context, partial="audit/_records.html")


@require_GET
@provider_required(Action.AUDIT)
def provider_log(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _log(request, provider)


@require_GET
@superuser_required
def site_log(request: HttpRequest) -> HttpResponse:
    return _log(request, None)


def _export(request: HttpRequest, provider: Provider | None, fmt: str) -> HttpResponse:
    filterset = AuditRecordFilter(request.GET, queryset=selectors.audit_records(provider=provider))
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters:\n" + "\n".join(filterset.error_lines()) + "\n",
            content_type="text/plain",
        )
    return exports.export_response(filterset, provider=provider, fmt=fmt)


@require_GET
@provider_required(Action.AUDIT)
def provider_export_csv(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _export(request, provider, "csv")


@require_GET
@provider_required(Action.AUDIT)
def provider_export_json(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _export(request, provider, "json")


@require_GET
@superuser_required
def site_export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, None, "csv")


@require_GET
@superuser_required
def site_export_json(request: HttpRequest) -> HttpResponse:
    return _export(request, None, "json")
