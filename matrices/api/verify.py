"""POST /api/v1/verify/: is this PDF (or this SHA-256) one the portal published?"""

from __future__ import annotations

from dataclasses import asdict

from django import forms
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from matrices.api.errors import error_response
from matrices.forms.verify import check_hash, check_upload
from matrices.selectors.verify import verify

VerdictSerializer = inline_serializer(
    "Verdict",
    {
        "published": serializers.BooleanField(),
        "provider": serializers.CharField(),
        "version": serializers.IntegerField(allow_null=True),
        "published_at": serializers.CharField(),
        "approved_by": serializers.CharField(help_text="Empty for a gated provider."),
        "variant": serializers.CharField(),
        "offering": serializers.CharField(),
        "stamped_copy": serializers.BooleanField(),
        "signature": serializers.CharField(help_text='"valid", "invalid", "missing" or "".'),
        "signed_by": serializers.CharField(),
    },
)

VerifyRequest = inline_serializer(
    "VerifyRequest",
    {
        "file": serializers.FileField(required=False),
        "sha256": serializers.CharField(required=False),
    },
)


class VerifyView(APIView):
    """Anyone may ask; the answer names only what the file itself shows (see selectors.verify)."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="verify_pdf",
        request={"multipart/form-data": VerifyRequest, "application/json": VerifyRequest},
        responses={200: VerdictSerializer},
        tags=["verify"],
    )
    def post(self, request):
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        try:
            if upload is not None:
                verdict = verify(data=check_upload(upload))
            else:
                value = request.data.get("sha256") if hasattr(request.data, "get") else None
                if not isinstance(value, str) or not value.strip():
                    raise forms.ValidationError("Send a PDF as 'file' or its SHA-256 as 'sha256'.")
                verdict = verify(digest=check_hash(value))
        except forms.ValidationError as exc:
            return error_response(400, "invalid", " ".join(exc.messages))
        return Response(asdict(verdict))
