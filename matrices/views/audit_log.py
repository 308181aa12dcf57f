"""The audit log pages and exports: a provider's log, the site-wide log, CSV and JSON.

The log itself (records, filters, exports) is the audit app's; these pages
show it, a provider's log inside the provider's pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.decorators import superuser_required
from accounts.roles import Action
from audit import exports, selectors
from audit.filters import AuditRecordFilter
from audit.models import ObjectType
from matrices.models import Provider
from matrices.views.htmx import render_page
from matrices.views.provider_page import provider_page, provider_required

SITE_LOG = "read the site-wide audit log"


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
            "log_url": reverse("matrices:site_audit_log"),
            "csv_url": reverse("matrices:site_audit_export", args=["csv"]),
            "json_url": reverse("matrices:site_audit_export", args=["json"]),
        }
    return {
        "log_url": reverse("matrices:audit_log", args=[provider.slug]),
        "csv_url": reverse("matrices:audit_export", args=[provider.slug, "csv"]),
        "json_url": reverse("matrices:audit_export", args=[provider.slug, "json"]),
    }


def _log(request: HttpRequest, provider: Provider | None) -> HttpResponse:
    filterset = AuditRecordFilter(request.GET, queryset=selectors.audit_records(provider=provider))
    page, subject = None, None
    if filterset.is_valid():
        page = selectors.log_page(filterset.qs, before_seq=filterset.form.cleaned_data["before"])
        if filterset.object_filter:
            object_type, object_id = filterset.object_filter
            subject = {
                "type": ObjectType(object_type).label,
                "id": object_id,
                "label": selectors.object_label(filterset.qs),
            }
    context = {
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
        context = provider_page(request, provider, "audit", **context)
    else:
        context["page"] = "audit"
    return render_page(request, "audit/log.html", context, partial="audit/_records.html")


@require_safe
@provider_required(Action.AUDIT)
def provider_log(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _log(request, provider)


@require_safe
@superuser_required(SITE_LOG)
def site_log(request: HttpRequest) -> HttpResponse:
    return _log(request, None)


def _export(request: HttpRequest, provider: Provider | None, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest(
            f"Exports are {', '.join('export.' + f for f in exports.FORMATS)}.\n",
            content_type="text/plain",
        )
    filterset = AuditRecordFilter(request.GET, queryset=selectors.audit_records(provider=provider))
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            "Invalid filters:\n" + "\n".join(filterset.error_lines()) + "\n",
            content_type="text/plain",
        )
    return exports.export_response(filterset, provider=provider, fmt=fmt)


@require_safe
@provider_required(Action.AUDIT)
def provider_export(request: HttpRequest, provider: Provider, fmt: str) -> HttpResponse:
    return _export(request, provider, fmt)


@require_safe
@superuser_required(SITE_LOG)
def site_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, None, fmt)
