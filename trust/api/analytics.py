"""A provider's reading analytics over the API, for its admins and trust managers: the counts
(the analytics page's), and the raw events, filtered and paginated.

The same selectors and filters as the page (``trust.analytics``); others who may see the
provider get 403, those who may not 404, as everywhere.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from matrices.api.base import ProviderScoped, StrictInput
from trust.analytics import AnalyticsFilters, Counts, provider_analytics, read_events
from trust.analytics_forms import MAX_DAYS
from trust.models import ReadEvent


class AnalyticsQuerySerializer(StrictInput, serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=MAX_DAYS, default=30, help_text="Days back, today included."
    )
    kind = serializers.ChoiceField(
        choices=ReadEvent.Kind.choices, required=False, default="", help_text="Both if absent."
    )
    company = serializers.CharField(
        max_length=150, required=False, default="", help_text="Exactly; all if absent."
    )

    # ``page`` and ``page_size`` belong to the pagination.
    def to_internal_value(self, data):
        data = {key: value for key, value in data.items() if key not in ("page", "page_size")}
        return super().to_internal_value(data)

    def filters(self) -> AnalyticsFilters:
        return AnalyticsFilters(**self.validated_data)


FILTER_PARAMETERS = [
    OpenApiParameter("days", int, description="Days back, today included (1 to 365; 30)."),
    OpenApiParameter("kind", str, enum=ReadEvent.Kind.values, description="Both if absent."),
    OpenApiParameter("company", str, description="Readers from this company only (exactly)."),
]


class CountsSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    downloads = serializers.IntegerField()


class DayCountsSerializer(CountsSerializer):
    day = serializers.DateField()


class VersionCountsSerializer(CountsSerializer):
    version = serializers.IntegerField(allow_null=True)


class DocumentCountsSerializer(CountsSerializer):
    document = serializers.CharField()


class CompanyCountsSerializer(CountsSerializer):
    company = serializers.CharField()


class AnalyticsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    totals = CountsSerializer()
    readers = serializers.IntegerField(help_text="Distinct signed-in readers (raw events).")
    companies = serializers.IntegerField()
    per_day = DayCountsSerializer(many=True, help_text="Every day of the period, oldest first.")
    per_version = VersionCountsSerializer(many=True)
    per_document = DocumentCountsSerializer(many=True)
    per_company = CompanyCountsSerializer(many=True, help_text="The ten with the most reads.")


class ReadEventSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version_number", allow_null=True)

    class Meta:
        model = ReadEvent
        fields = ["id", "at", "reader", "company", "kind", "document", "version"]
        read_only_fields = fields


def _counts(name: str, key, counts: Counts) -> dict:
    return {name: key, "views": counts.views, "downloads": counts.downloads}


class TrustManaged(ProviderScoped):
    """Provider admins and trust managers only."""

    read_action = Action.MANAGE_TRUST
    write_action = Action.MANAGE_TRUST

    def query_filters(self) -> AnalyticsFilters:
        serializer = AnalyticsQuerySerializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.filters()


class AnalyticsView(TrustManaged, generics.GenericAPIView):
    serializer_class = AnalyticsSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(operation_id="trust_analytics", parameters=FILTER_PARAMETERS)
    def get(self, request: Request, provider_slug: str) -> Response:
        """Views and downloads of the provider's published content: totals, per day, per
        version, per document and per company (raw events and the folded older days)."""
        provider = self.provider  # 404 or 403 before any 400
        report = provider_analytics(provider, self.query_filters())
        body = {
            "start": report.start,
            "end": report.end,
            "totals": {"views": report.totals.views, "downloads": report.totals.downloads},
            "readers": report.readers,
            "companies": report.companies,
            "per_day": [_counts("day", day, c) for day, c in report.per_day],
            "per_version": [_counts("version", number, c) for number, c in report.per_version],
            "per_document": [_counts("document", doc, c) for doc, c in report.per_document],
            "per_company": [_counts("company", name, c) for name, c in report.per_company],
        }
        return Response(AnalyticsSerializer(body).data)


class ReadEventList(TrustManaged, generics.ListAPIView):
    """The raw reading events (kept for TRUST_EVENTS_KEEP_DAYS), newest first."""

    serializer_class = ReadEventSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.schema_only():
            return ReadEvent.objects.none()
        provider = self.provider  # 404 or 403 before any 400
        return read_events(provider, self.query_filters())

    @extend_schema(operation_id="trust_events_list", parameters=FILTER_PARAMETERS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
