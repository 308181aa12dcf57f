"""The audit log over the API: read a page, filter it, export it (CSV or JSON).

The same filters as the log pages (``AuditRecordFilter``), the same keyset
pages (``?before=<seq>``, newest first) and the same exports. A provider's
log is for its auditors, editors, approvers and admins; the site-wide log
for site administrators.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from accounts.access import is_site_admin
from accounts.roles import Action
from audit import exports, selectors
from audit.filters import AuditRecordFilter
from matrices.api.base import ProviderScoped
from matrices.views.audit_log import SITE_LOG

MAX_PAGE = 200


class AuditRecordSerializer(serializers.Serializer):
    """One record with every hashed field, so the chain can be checked offline."""

    seq = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    actor = serializers.CharField()
    actor_id = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_label = serializers.CharField()
    provider = serializers.CharField(allow_blank=True)
    provider_id = serializers.IntegerField(allow_null=True)
    changed_fields = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(allow_blank=True)
    request_id = serializers.CharField(allow_blank=True)
    ip = serializers.CharField(allow_null=True)
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    hash = serializers.CharField()
    prev_hash = serializers.CharField()


class AuditPageSerializer(serializers.Serializer):
    results = AuditRecordSerializer(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next, older page; null at the end.")


PAGE_PARAMETERS = [
    OpenApiParameter(
        "before",
        {"type": "integer", "minimum": 1},
        description="Records older than this seq (the next link).",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        description=f"1 to {MAX_PAGE}; {selectors.PAGE_SIZE} by default.",
    ),
]
FORMAT_PARAMETER = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=list(exports.FORMATS), description="The format."
)
EXPORT_RESPONSES = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, one record a row."),
    (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="JSON."),
}


def _valid_filters(request: Request, provider) -> AuditRecordFilter:
    filterset = AuditRecordFilter(
        request.query_params, queryset=selectors.audit_records(provider=provider)
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors)
    return filterset


class _Log(generics.GenericAPIView):
    serializer_class = AuditRecordSerializer
    filter_backends: list = []  # AuditRecordFilter is applied by hand: it also holds the cursor
    pagination_class = None

    def log_provider(self):
        raise NotImplementedError

    def page(self, request: Request) -> Response:
        provider = self.log_provider()
        filterset = _valid_filters(request, provider)
        try:
            size = int(request.query_params.get("page_size", selectors.PAGE_SIZE))
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE:
            raise ValidationError({"page_size": [f"A number from 1 to {MAX_PAGE}."]})
        page = selectors.log_page(
            filterset.qs, before_seq=filterset.form.cleaned_data["before"], size=size
        )
        url = request.build_absolute_uri()
        return Response(
            {
                "results": [exports.record_document(record) for record in page.records],
                "next": replace_query_param(url, "before", page.older) if page.older else None,
            }
        )

    def export(self, request: Request, fmt: str):
        if fmt not in exports.FORMATS:
            raise Http404("Exports are export.csv or export.json.")
        provider = self.log_provider()
        return exports.export_response(
            _valid_filters(request, provider), provider=provider, fmt=fmt
        )


class ProviderLog(ProviderScoped, _Log):
    """A provider's audit log, newest first, filtered like the log page."""

    read_action = Action.AUDIT

    def log_provider(self):
        return self.provider

    @extend_schema(
        operation_id="audit_list", parameters=PAGE_PARAMETERS, responses=AuditPageSerializer
    )
    def get(self, request: Request, provider_slug: str) -> Response:
        return self.page(request)


class ProviderLogExport(ProviderLog):
    @extend_schema(
        operation_id="audit_export", parameters=[FORMAT_PARAMETER], responses=EXPORT_RESPONSES
    )
    def get(self, request: Request, provider_slug: str, fmt: str):
        return self.export(request, fmt)


class SiteLog(_Log):
    """Every record of the site, for site administrators."""

    def log_provider(self):
        user = self.request.user
        if not user.is_authenticated:
            raise NotAuthenticated("Sign in, or send an API token.")
        if not is_site_admin(user):
            raise PermissionDenied(f"Only site administrators {SITE_LOG}.")
        return None

    @extend_schema(
        operation_id="site_audit_list", parameters=PAGE_PARAMETERS, responses=AuditPageSerializer
    )
    def get(self, request: Request) -> Response:
        return self.page(request)


class SiteLogExport(SiteLog):
    @extend_schema(
        operation_id="site_audit_export", parameters=[FORMAT_PARAMETER], responses=EXPORT_RESPONSES
    )
    def get(self, request: Request, fmt: str):
        return self.export(request, fmt)
