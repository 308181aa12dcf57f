"""Providers, their published versions and diffs, a whole matrix in one call, and the review.

Reads go through the same scoped queryset as the pages (``restrict``):
providers a user may not see are 404, exactly as in the browser. Writes call
the services the pages call.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from accounts.throttling import ImportRate
from matrices.api.base import EDITION, EDITION_OR_DEFAULT, ProviderScoped, ReasonSerializer
from matrices.api.serializers import (
    ApproveSerializer,
    DiffSerializer,
    MatrixSerializer,
    ProviderCreateFromFileSerializer,
    ProviderCreateSerializer,
    ProviderSerializer,
    ProviderVisibilitySerializer,
    ReturnSerializer,
    ReviewSerializer,
    SubmitSerializer,
    VersionDetailSerializer,
    VersionSerializer,
)
from matrices.diffs import snapshot_diff
from matrices.exchange.files import read_matrix
from matrices.filtersets import ProviderFilterSet
from matrices.models import MatrixVersion, Provider, Submission
from matrices.selectors.editions import WHICH_HELP, edition_for
from matrices.selectors.review import review_state
from matrices.selectors.structure import provider_templates
from matrices.services import (
    draft_approve,
    draft_return,
    draft_submit,
    draft_withdraw,
    provider_create_from,
    provider_set_visibility,
)
from matrices.views.exchange import matrix_document
from matrices.views.reading import read

PUBLISHED_TIMEOUT = 7 * 24 * 3600  # a published version's JSON never changes


class ProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Providers the caller may see; site administrators add them (POST), provider admins
    change who may see them (PATCH)."""

    serializer_class = ProviderSerializer
    filterset_class = ProviderFilterSet
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Provider.objects.restrict(self.request.user, Action.VIEW)
            .select_related("published")
            .prefetch_related("sources")
            .order_by("name")
        )

    def get_throttles(self):
        # Creating a provider copies or imports a whole matrix: the import rate applies.
        throttles = super().get_throttles()
        return [*throttles, ImportRate()] if self.action in ("create", "from_file") else throttles

    @extend_schema(request=ProviderCreateSerializer, responses={201: ProviderSerializer})
    def create(self, request: Request) -> Response:
        """A new provider in one step, empty or started from a ``template``; its creator is
        its provider admin, and nothing is published."""
        serializer = ProviderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        template = data.pop("template", None)
        if template is not None:
            found = [t for t in provider_templates(request.user) if t.slug == template]
            if not found:
                raise ValidationError({"template": [f"No template {template!r}."]})
            template = found[0]
        return self._created(request, data, template=template)

    @extend_schema(
        request={"multipart/form-data": ProviderCreateFromFileSerializer},
        responses={201: ProviderSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-file", parser_classes=[MultiPartParser])
    def from_file(self, request: Request) -> Response:
        """A new provider whose draft starts as a long-format ``file`` (.csv or .xlsx); its
        creator is its provider admin, and nothing is published."""
        serializer = ProviderCreateFromFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file")
        return self._created(request, data, parsed=read_matrix(upload.name, upload.read()))

    def _created(self, request: Request, data: dict, **start) -> Response:
        provider = provider_create_from(
            actor=request.user,
            slug=data.pop("slug", "") or slugify(data["name"])[:80],
            **data,
            **start,
        )
        body = ProviderSerializer(self.get_queryset().get(pk=provider.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProviderVisibilitySerializer, responses=ProviderSerializer)
    def partial_update(self, request: Request, slug: str | None = None) -> Response:
        provider = self.get_object()
        serializer = ProviderVisibilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        provider = provider_set_visibility(
            actor=request.user,
            provider=provider,
            visibility=data["visibility"],
            expected_version=data["version"],
            reason=data["reason"],
        )
        return Response(ProviderSerializer(self.get_queryset().get(pk=provider.pk)).data)

    @extend_schema(
        responses=MatrixSerializer,
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.STR,
                required=False,
                pattern=EDITION_OR_DEFAULT,
                description=f"{WHICH_HELP} Default: the draft for its editors, else the "
                "latest version.",
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def matrix(self, request: Request, slug: str | None = None) -> HttpResponse:
        """The whole matrix in one call, in a fixed number of queries whatever its size.

        A published version never changes: its JSON is rendered once, kept by its
        snapshot hash, and carries an ETag (``If-None-Match`` gets 304).
        """
        provider = get_object_or_404(self.get_queryset().select_related(None), slug=slug)
        which = request.query_params.get("version", "")
        edition = edition_for(request.user, provider, which, editing=True)
        if edition.is_draft:
            read(request, edition, "api:matrix")
            return Response(matrix_document(edition))
        key = f"srm:api-matrix:{provider.slug}:{edition.number}:{edition.snapshot_hash}"
        body = cache.get(key)
        if body is None:
            body = JSONRenderer().render(matrix_document(edition))
            cache.set(key, body, PUBLISHED_TIMEOUT)
        etag = f'"{edition.snapshot_hash[:32]}"'
        if request.headers.get("If-None-Match") == etag:
            # Not a read: a client (a sync job, mostly) asking whether anything changed,
            # which it is told without the matrix. The pages count theirs
            # (matrices.views.cache): there a 304 is a person looking at the page again.
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/json")
            read(request, edition, "api:matrix")
        response.headers["ETag"] = etag
        response.headers["Vary"] = "Cookie, Authorization"
        return response


class VersionViewSet(ProviderScoped, viewsets.ReadOnlyModelViewSet):
    """Published versions, newest first; one version with its snapshot; diffs between two."""

    read_action = Action.VIEW
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if self.schema_only():
            return MatrixVersion.objects.none()
        versions = MatrixVersion.objects.filter(provider=self.provider).order_by("-number")
        return versions if self.action == "retrieve" else versions.defer("snapshot")

    def get_serializer_class(self):
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """One published version, with its whole matrix (its snapshot) as this reader sees it
        (a reader limited to some offerings: those)."""
        version = self.get_object()
        edition = edition_for(request.user, self.provider, str(version.number))
        if edition.is_limited:  # only serialised, never saved: the snapshot and its own hash
            version.snapshot, version.snapshot_hash = edition.snapshot, edition.snapshot_hash
        read(request, edition, "api:version")
        return Response(self.get_serializer(version).data)

    @extend_schema(
        responses=DiffSerializer,
        parameters=[
            OpenApiParameter(
                name, str, OpenApiParameter.PATH, pattern=EDITION, description=WHICH_HELP
            )
            for name in ("old", "new")
        ],
    )
    @action(detail=False, methods=["get"], url_path=r"(?P<old>[^/.]+)/diff/(?P<new>[^/.]+)")
    def diff(self, request: Request, provider_slug: str, old: str, new: str) -> Response:
        """What changed from ``old`` to ``new``: rows and columns, ownership, words."""
        before = edition_for(request.user, self.provider, old)
        after = edition_for(request.user, self.provider, new)
        changes = asdict(snapshot_diff(before.snapshot, after.snapshot))
        for cell in changes["cells"]:
            for text in cell["texts"]:
                text["words_html"] = str(text.pop("words"))
        return Response({"old": before.label, "new": after.label, **changes})


class ReviewViewSet(ProviderScoped, viewsets.GenericViewSet):
    """Four-eyes publishing: submit the draft, then another approver publishes or returns it.

    Each action answers with the state of the review (``GET .../review/``).
    """

    write_action = Action.VIEW  # each service checks its own role: 403 from there
    serializer_class = ReviewSerializer
    queryset = Submission.objects.none()  # for the schema
    pagination_class = None
    filter_backends: list = []

    def _review(self) -> Response:
        return Response(ReviewSerializer(review_state(self.provider)).data)

    def _submission(self) -> Submission:
        pending = self.provider.submissions.filter(status=Submission.Status.PENDING).first()
        if pending is None:
            raise NotFound("No submission is waiting for review.")
        return pending

    @extend_schema(request=SubmitSerializer, responses=ReviewSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request: Request, provider_slug: str) -> Response:
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft_submit(actor=request.user, provider=self.provider, **serializer.validated_data)
        return self._review()

    @extend_schema(request=ApproveSerializer, responses={201: VersionSerializer})
    @action(detail=False, methods=["post"])
    def approve(self, request: Request, provider_slug: str) -> Response:
        """Publish the pending submission; ``expected_hash`` is the draft you reviewed."""
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = draft_approve(
            actor=request.user, submission=self._submission(), **serializer.validated_data
        )
        return Response(VersionSerializer(version).data, status=201)

    @extend_schema(request=ReturnSerializer, responses=ReviewSerializer)
    @action(detail=False, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, provider_slug: str) -> Response:
        """Return the pending submission to the editors, saying what should change."""
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft_return(actor=request.user, submission=self._submission(), **serializer.validated_data)
        return self._review()

    @extend_schema(request=ReasonSerializer, responses=ReviewSerializer)
    @action(detail=False, methods=["post"])
    def withdraw(self, request: Request, provider_slug: str) -> Response:
        """Take the pending submission back (editors), e.g. to change the draft first."""
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft_withdraw(
            actor=request.user, submission=self._submission(), **serializer.validated_data
        )
        return self._review()


class ReviewState(ReviewViewSet):
    """The state of the draft and the submission waiting for an approver, if any."""

    @extend_schema(responses=ReviewSerializer)
    def get(self, request: Request, provider_slug: str) -> Response:
        return self._review()
