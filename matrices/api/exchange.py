"""Importing a long-format file over the API: a dry run, then the same file applied.

The same reader, checks and service as the import page: a bad file is
refused with every problem (file, row, column, message) and nothing is
written; applying is one transaction, refused with 409 when the draft changed
since the dry run whose ``base_hash`` is sent back as ``expected_hash``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from accounts.throttling import AnonymousRate, ImportRate, UserRate
from matrices.api.base import EDITION_OR_DEFAULT, ProviderScoped, StrictInput, reason_field
from matrices.api.serializers import UploadField, upload_within_limit
from matrices.exchange.files import read_matrix
from matrices.models import ImportJob
from matrices.selectors.editions import WHICH_HELP, edition_for
from matrices.selectors.imports import (
    ImportPlan,
    ImportStatus,
    import_job_for,
    import_plan,
    import_status,
)
from matrices.services.imports import import_request
from matrices.views.exchange import EXPORTS, export_response
from matrices.views.reading import DOWNLOAD, read


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


class ImportJobSerializer(serializers.ModelSerializer):
    """An import queued with ``apply``: its state and, once done, what it changed."""

    state = serializers.SerializerMethodField(
        help_text="queued, running, done, failed, or stalled (its worker stopped)."
    )
    progress = serializers.SerializerMethodField(help_text="0 to 1.")
    stage = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "filename",
            "state",
            "progress",
            "stage",
            "message",
            "summary",
            "created_at",
            "finished_at",
            "url",
        ]

    def _status(self, job: ImportJob) -> ImportStatus:
        cache = self.__dict__.setdefault("_statuses", {})
        if job.pk not in cache:
            cache[job.pk] = import_status(job)
        return cache[job.pk]

    def get_state(self, job: ImportJob) -> str:
        return self._status(job).state

    def get_progress(self, job: ImportJob) -> float:
        return self._status(job).fraction

    def get_stage(self, job: ImportJob) -> str:
        return self._status(job).stage

    def get_message(self, job: ImportJob) -> str:
        return self._status(job).message

    def get_url(self, job: ImportJob) -> str:
        return reverse("api:import-job", args=[job.provider.slug, job.pk])


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
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportPlanSerializer, 202: ImportJobSerializer},
    )
    def post(self, request: Request, provider_slug: str) -> Response:
        """A dry run (200, the plan), or with ``apply`` the import queued for a worker
        (202): poll its ``url`` until it is done; it is applied all at once or not at all."""
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        content = upload.read()
        if data["apply"]:
            job = import_request(
                actor=request.user,
                provider=self.provider,
                filename=upload.name,
                data=content,
                expected_hash=data["expected_hash"],
                reason=data["reason"],
            )
            job.refresh_from_db()  # done already where tasks run at once (development)
            return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        parsed = read_matrix(upload.name, content)
        plan = import_plan(actor=request.user, provider=self.provider, parsed=parsed)
        return Response(_plan_body(plan, applied=False, draft_hash=plan.base_hash))


class ImportJobDetail(ProviderScoped, generics.GenericAPIView):
    """Where an import stands: queued, running (with its progress), done, failed, or
    stalled (its worker stopped: nothing was written)."""

    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.none()  # for the schema

    def get(self, request: Request, provider_slug: str, pk: int) -> Response:
        job = import_job_for(request.user, self.provider, pk)
        return Response(ImportJobSerializer(job).data)


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
        edition = edition_for(
            request.user, self.provider, request.query_params.get("version", "latest")
        )
        response = export_response(edition, fmt)
        read(request, edition, f"export:{fmt}", DOWNLOAD)
        return response
