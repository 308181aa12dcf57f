"""The read API: providers, their versions, and a whole matrix in one call.

Reads go through the same scoped queryset as the pages (``restrict``):
providers a user may not see are 404, exactly as in the browser.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import capabilities
from accounts.roles import Action
from matrices.api.serializers import MatrixSerializer, ProviderSerializer, VersionSerializer
from matrices.models import MatrixVersion, Provider
from matrices.snapshot import snapshot_build, snapshot_hash


class ProviderViewSet(viewsets.ReadOnlyModelViewSet):
    """Providers the caller may see, with their offerings, parties and sources."""

    serializer_class = ProviderSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Provider.objects.restrict(self.request.user, Action.VIEW)
            .select_related("published")
            .prefetch_related("sources", "offerings", "parties")
            .order_by("name")
        )

    @extend_schema(
        responses=MatrixSerializer,
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.STR,
                required=False,
                description='A version number, "latest", or "draft" (editors, approvers and '
                "auditors). Default: the draft for its editors, else the latest version.",
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def matrix(self, request: Request, slug: str | None = None) -> Response:
        """The whole matrix in one call, in a fixed number of queries whatever its size."""
        provider = get_object_or_404(self.get_queryset().select_related(None), slug=slug)
        may = capabilities(request.user, provider)
        sees_draft = may["edit"] or may["publish"] or may["audit"]
        wanted = request.query_params.get("version", "")
        if (
            wanted == "draft"
            or (not wanted and may["edit"])
            or (not wanted and provider.published_id is None)
        ):
            if not sees_draft and provider.published_id is not None:
                raise PermissionDenied(
                    "Only the provider's editors, approvers and auditors see the draft."
                )
            snapshot = snapshot_build(provider)
            body = {"version": None, "draft": True, "snapshot_hash": snapshot_hash(snapshot)}
        else:
            if wanted in ("", "latest"):
                version = provider.published
                if version is None:
                    raise NotFound("Nothing is published yet.")
            elif wanted.isdigit():
                version = get_object_or_404(MatrixVersion, provider=provider, number=int(wanted))
            else:
                raise NotFound(f"No version {wanted!r}: use a number, 'latest' or 'draft'.")
            snapshot = version.snapshot
            body = {
                "version": version.number,
                "draft": False,
                "snapshot_hash": version.snapshot_hash,
            }
        return Response({"provider": provider.slug, **body, "matrix": snapshot})

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, slug: str | None = None) -> Response:
        """The provider's published versions, newest first (without their snapshots)."""
        provider = get_object_or_404(self.get_queryset(), slug=slug)
        versions = provider.versions.defer("snapshot").order_by("-number")
        return Response(VersionSerializer(versions, many=True).data)
