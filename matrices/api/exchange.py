"""Importing a long-format file over the API: a dry run, then the same file applied.

The same reader, checks and service as the import page: a bad file is
refused with every problem (file, row, column, message) and nothing is
written; applying is one transaction, refused with 409 when the draft changed
since the dry run whose ``base_hash`` is sent back as ``expected_hash``.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from accounts.throttling import AnonymousRate, ImportRate, UserRate
from matrices.api.base import EDITION_OR_DEFAULT, ProviderScoped, StrictInput, reason_field
from matrices.api.serializers import UploadField, upload_within_limit
from matrices.exchange.files import read_matrix
from matrices.selectors.editions import WHICH_HELP, edition_for
from matrices.selectors.imports import ImportPlan, import_plan
from matrices.services.imports import import_apply
from matrices.snapshot import snapshot_build, snapshot_hash
from matrices.views.exchange import EXPORTS, export_response


class ImportRequestSerializer(StrictInput, serializers.Serializer):
    file = UploadField(
        validators=[upload_within_limit], help_text="A long-format .csv or .xlsx (see the README)."
    )
    apply = serializers.BooleanField(
        default=False, help_text="False (the default): a dry run that writes nothing."
    )
    expected_hash = serializers.CharField(
        required=False, max_length=64, help_text="To apply: the dry run's base_hash."
    )
    reason = reason_field()

    def validate(self, data: dict) -> dict:
        if data["apply"] and not data.get("expected_hash"):
            raise serializers.ValidationError(
                {"expected_hash": ["Send the base_hash of the dry run you checked."]}
            )
        return data


class RowChangeSerializer(serializers.Serializer):
    before = serializers.DictField()
    after = serializers.DictField()


class ImportPlanSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    base_hash = serializers.CharField(help_text="The draft the plan was made against.")
    draft_hash = serializers.CharField(help_text="The draft now.")
    is_empty = serializers.BooleanField()
    added = serializers.ListField(child=serializers.DictField())
    changed = RowChangeSerializer(many=True)
    removed = serializers.ListField(child=serializers.DictField())
    axes_added = serializers.ListField(child=serializers.CharField())
    axes_removed = serializers.ListField(child=serializers.CharField())


def _plan_body(plan: ImportPlan, *, applied: bool, draft_hash: str) -> dict:
    return {
        "applied": applied,
        "base_hash": plan.base_hash,
        "draft_hash": draft_hash,
        "is_empty": plan.is_empty,
        "added": plan.added,
        "changed": [{"before": before, "after": after} for before, after in plan.changed],
        "removed": plan.removed,
        "axes_added": plan.axes_added,
        "axes_removed": plan.axes_removed,
    }


class ImportView(ProviderScoped, generics.GenericAPIView):
    """Dry-run (default) or apply a long-format file to the provider's draft."""

    parser_classes = [MultiPartParser]
    serializer_class = ImportRequestSerializer
    throttle_classes = [AnonymousRate, UserRate, ImportRate]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer}, responses=ImportPlanSerializer
    )
    def post(self, request: Request, provider_slug: str) -> Response:
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        parsed = read_matrix(upload.name, upload.read())
        if data["apply"]:
            plan = import_apply(
                actor=request.user,
                provider=self.provider,
                parsed=parsed,
                expected_hash=data["expected_hash"],
                reason=data["reason"],
            )
            draft_hash = snapshot_hash(snapshot_build(self.provider))
        else:
            plan = import_plan(actor=request.user, provider=self.provider, parsed=parsed)
            draft_hash = plan.base_hash  # a dry run changes nothing
        return Response(_plan_body(plan, applied=data["apply"], draft_hash=draft_hash))


def _export_responses() -> dict:
    """One 200 response per content type of ``EXPORTS``: the JSON ones are documents, CSV
    is text, XLSX is bytes."""
    formats: dict[str, list[str]] = {}
    for fmt, (_, content_type) in EXPORTS.items():
        formats.setdefault(content_type.split(";")[0], []).append(f"export.{fmt}")
    kinds = {"application/json": OpenApiTypes.OBJECT, "text/csv": OpenApiTypes.STR}
    description = "; ".join(f"{', '.join(names)}: {kind}" for kind, names in formats.items())
    return {
        (200, content_type): OpenApiResponse(
            kinds.get(content_type, OpenApiTypes.BINARY), description=description
        )
        for content_type in formats
    }


EXPORT_RESPONSES = _export_responses()


class MatrixExport(ProviderScoped, generics.GenericAPIView):
    """A version (default: the latest) or the draft (its readers), as a file: the long format
    (CSV, XLSX), the API's JSON, OSCAL (component definition, SSP) or a CAIQ-style workbook;
    the same bytes as the export links of the matrix page."""

    read_action = Action.VIEW
    serializer_class = None
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="matrix_export",
        parameters=[
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=list(EXPORTS), description="The format."
            ),
            OpenApiParameter(
                "version",
                str,
                pattern=EDITION_OR_DEFAULT,
                description=f"{WHICH_HELP} Default: latest.",
            ),
        ],
        responses=EXPORT_RESPONSES,
    )
    def get(self, request: Request, provider_slug: str, fmt: str) -> HttpResponse:
        which = request.query_params.get("version", "latest")
        return export_response(edition_for(request.user, self.provider, which), fmt)
