"""Trust-center PDFs over the API: request one, poll its status, download it.

The same service and the same rules as the PDF page: a request for a PDF that
exists already answers at once; drafts are for their readers; a gated
provider's PDF names its downloader and its downloads are audited.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from accounts.throttling import PdfRate
from matrices.api.base import ProviderScoped
from matrices.api.errors import error_response
from matrices.api.serializers import PdfDocumentSerializer, PdfRequestSerializer
from matrices.models import PdfDocument
from matrices.selectors.documents import pdf_document_for
from matrices.selectors.editions import edition_for
from matrices.services.documents import pdf_request
from matrices.views.documents import pdf_attachment
from matrices.views.reading import read_pdf


class PdfViewSet(ProviderScoped, viewsets.GenericViewSet):
    read_action = Action.VIEW
    write_action = Action.VIEW  # anyone who sees the provider may ask for its PDF
    # Asking for a PDF (a POST) reads: read-only tokens and writers without a second factor
    # may (accounts.access.request_writes).
    reads_only = True
    permission_classes = [AllowAny]  # visitors download public PDFs in the browser, too
    serializer_class = PdfDocumentSerializer
    queryset = PdfDocument.objects.none()
    lookup_value_regex = r"[0-9]+"

    def get_throttles(self):
        # Asking for a PDF may start a rendering: a stricter rate than reading one.
        throttles = super().get_throttles()
        return [*throttles, PdfRate()] if self.action == "create" else throttles

    @extend_schema(
        request=PdfRequestSerializer,
        responses={200: PdfDocumentSerializer, 202: PdfDocumentSerializer},
    )
    def create(self, request: Request, provider_slug: str) -> Response:
        """Ask for a PDF: 200 when it is ready, else 202 and poll ``url`` until it is."""
        serializer = PdfRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = pdf_request(
            actor=request.user,
            edition=edition_for(request.user, self.provider, data["version"]),
            variant=data["variant"],
            offering=data["offering"],
        )
        ready = document.status == PdfDocument.Status.READY
        return Response(
            self.get_serializer(document).data,
            status=status.HTTP_200_OK if ready else status.HTTP_202_ACCEPTED,
        )

    def retrieve(self, request: Request, provider_slug: str, pk: str) -> Response:
        """Where the PDF stands: queued, rendering, ready (with its download link) or failed."""
        document = pdf_document_for(request.user, self.provider, int(pk))
        return Response(self.get_serializer(document).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            409: OpenApiResponse(description="Not ready yet: poll the status."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, provider_slug: str, pk: str):
        document = pdf_document_for(request.user, self.provider, int(pk))
        if document.status != PdfDocument.Status.READY:
            return error_response(
                status.HTTP_409_CONFLICT,
                "not_ready",
                f"The PDF is {document.get_status_display().lower()}: poll its status first.",
            )
        response = pdf_attachment(request.user, document)
        read_pdf(request, document)
        return response
