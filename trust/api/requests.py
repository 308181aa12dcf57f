"""The trust center over the API: a provider's trust-center settings, its access requests
(approve, deny) and readers' grants (extend, revoke), for its admins and trust managers;
and the public trust-center page as data. Every change goes through the services the
pages call, audited alike."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Action
from matrices.api.base import ProviderScoped, StrictInput, reason_field
from trust.centers import INTRODUCTION_MAX, trust_center_of, trust_center_update
from trust.grants import grant_extend, grant_revoke
from trust.models import AccessGrant, AccessRequest, TrustCenter
from trust.requests import access_request_approve, access_request_deny
from trust.selectors import (
    grants_of,
    offerings_to_grant,
    requests_of,
    trust_page,
    trust_provider_for,
)

# Serializers ---------------------------------------------------------------------------


class TrustCenterSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrustCenter
        fields = ["enabled", "introduction", "default_days", "auto_approve_domains", "updated_at"]
        read_only_fields = fields
        extra_kwargs = {"updated_at": {"allow_null": True}}


class TrustCenterUpdateSerializer(StrictInput, serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    introduction = serializers.CharField(
        required=False, allow_blank=True, max_length=INTRODUCTION_MAX, help_text="Markdown."
    )
    default_days = serializers.IntegerField(
        required=False, min_value=1, help_text="1 to TRUST_MAX_DAYS."
    )
    auto_approve_domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, max_length=200
    )
    reason = reason_field()


class AccessRequestSerializer(serializers.ModelSerializer):
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "name",
            "email",
            "company",
            "purpose",
            "status",
            "created_at",
            "confirmed_at",
            "decided_by",
            "decided_at",
            "auto_approved",
            "reason",
        ]
        read_only_fields = fields


class AccessApproveSerializer(StrictInput, serializers.Serializer):
    expires_at = serializers.DateTimeField(help_text="In the future, at most TRUST_MAX_DAYS away.")
    offerings = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        default=list,
        max_length=200,
        help_text="Offering slugs of the published version; none: every offering.",
    )
    reason = reason_field()


class AccessDenySerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Emailed to the requester.")


class AccessGrantSerializer(serializers.ModelSerializer):
    reader = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    offerings = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    # Null: given by the system (an auto-approval), not ended, or given without a request.
    granted_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    ended_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    request = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    live = serializers.BooleanField(source="is_live", read_only=True)

    class Meta:
        model = AccessGrant
        fields = [
            "id",
            "reader",
            "email",
            "company",
            "offerings",
            "request",
            "granted_by",
            "granted_at",
            "expires_at",
            "live",
            "ended_at",
            "ended_by",
            "end_reason",
        ]
        read_only_fields = fields


class AccessGrantExtendSerializer(StrictInput, serializers.Serializer):
    required_in_patch = ("expires_at",)
    expires_at = serializers.DateTimeField(help_text="In the future, at most TRUST_MAX_DAYS away.")
    reason = reason_field()


class AccessRevokeSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Kept in the audit log.")


class TrustDocumentSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="Starts the PDF (GET; redirects to its status).")


class TrustOfferingSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    open = serializers.BooleanField(help_text="Whether the caller may read it now.")
    documents = TrustDocumentSerializer(many=True)


class TrustPageSerializer(serializers.Serializer):
    provider = inline_serializer(
        "TrustProvider", {"slug": serializers.CharField(), "name": serializers.CharField()}
    )
    enabled = serializers.BooleanField(help_text="Whether outsiders may ask for access.")
    introduction = serializers.CharField(help_text="Markdown.")
    version = inline_serializer(
        "TrustVersion",
        {"number": serializers.IntegerField(), "published_at": serializers.DateTimeField()},
        allow_null=True,
    )
    can_read = serializers.BooleanField()
    nda_waiting = serializers.BooleanField(
        help_text="The caller's access counts once they accept the NDA."
    )
    access_until = serializers.DateTimeField(allow_null=True, help_text="The caller's grant's end.")
    may_request = serializers.BooleanField()
    matrix = TrustDocumentSerializer(many=True)
    offerings = TrustOfferingSerializer(many=True)
    subscribe_url = serializers.CharField()
    request_url = serializers.CharField(allow_null=True)


def _page_data(page) -> dict:
    provider = page.provider
    return {
        "provider": {"slug": provider.slug, "name": provider.name},
        "enabled": page.center.enabled,
        "introduction": page.center.introduction,
        "version": {"number": page.version.number, "published_at": page.version.published_at}
        if page.version
        else None,
        "can_read": page.can_read,
        "nda_waiting": page.nda_waiting,
        "access_until": page.grant.expires_at if page.grant else None,
        "may_request": page.may_request,
        "matrix": [{"label": d.label, "url": d.url} for d in page.matrix],
        "offerings": [
            {
                "name": o.name,
                "slug": o.slug,
                "open": o.open,
                "documents": [{"label": d.label, "url": d.url} for d in o.documents],
            }
            for o in page.offerings
        ],
        "subscribe_url": page.subscribe_url,
        "request_url": reverse("trust:request", args=[provider.slug])
        if page.center.enabled
        else None,
    }


# Views ---------------------------------------------------------------------------------


class TrustScoped(ProviderScoped):
    """The provider's admins and trust managers, for reading as for writing."""

    read_action = Action.MANAGE_TRUST
    write_action = Action.MANAGE_TRUST


class TrustSettings(TrustScoped, generics.GenericAPIView):
    """The provider's trust-center settings (disabled defaults until first saved); PATCH
    changes what it sends."""

    serializer_class = TrustCenterSerializer

    @extend_schema(operation_id="providers_trust_settings_retrieve")
    def get(self, request: Request, provider_slug: str) -> Response:
        return Response(TrustCenterSerializer(trust_center_of(self.provider)).data)

    @extend_schema(
        operation_id="providers_trust_settings_partial_update",
        request=TrustCenterUpdateSerializer,
        responses=TrustCenterSerializer,
    )
    def patch(self, request: Request, provider_slug: str) -> Response:
        serializer = TrustCenterUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        center = trust_center_update(
            actor=request.user, provider=self.provider, **serializer.validated_data
        )
        return Response(TrustCenterSerializer(center).data)


STATUS_PARAMETER = OpenApiParameter(
    "status", str, enum=AccessRequest.Status.values, description="Only requests in this state."
)


class AccessRequestList(TrustScoped, generics.ListAPIView):
    """The provider's access requests, latest first."""

    serializer_class = AccessRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.schema_only():
            return AccessRequest.objects.none()
        status = self.request.query_params.get("status", "")
        if status and status not in AccessRequest.Status.values:
            raise DjangoValidationError(
                {"status": f"Use one of {', '.join(AccessRequest.Status.values)}."}
            )
        return requests_of(self.provider, status)

    @extend_schema(parameters=[STATUS_PARAMETER])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class _RequestAction(TrustScoped, generics.GenericAPIView):
    serializer_class = AccessRequestSerializer

    def get_queryset(self):
        if self.schema_only():
            return AccessRequest.objects.none()
        return requests_of(self.provider)


class AccessRequestApprove(_RequestAction):
    """Approve a confirmed request: the requester reads until ``expires_at``, to the
    offerings listed (none: every one), and is emailed."""

    @extend_schema(request=AccessApproveSerializer, responses={201: AccessGrantSerializer})
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        access_request = self.get_object()
        serializer = AccessApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        slugs = set(data["offerings"])
        offerings = list(offerings_to_grant(self.provider).filter(slug__in=slugs))
        unknown = slugs - {o.slug for o in offerings}
        if unknown:
            raise DjangoValidationError(
                {"offerings": f"No published offering {', '.join(sorted(unknown))}."}
            )
        grant = access_request_approve(
            actor=request.user,
            access_request=access_request,
            expires_at=data["expires_at"],
            offerings=offerings,
            reason=data["reason"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(AccessGrantSerializer(grant).data, status=201)


class AccessRequestDeny(_RequestAction):
    """Deny a confirmed request; the reason is emailed to the requester."""

    @extend_schema(request=AccessDenySerializer, responses=AccessRequestSerializer)
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        access_request = self.get_object()
        serializer = AccessDenySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access_request = access_request_deny(
            actor=request.user,
            access_request=access_request,
            reason=serializer.validated_data["reason"],
        )
        return Response(AccessRequestSerializer(access_request).data)


class _GrantScoped(TrustScoped):
    serializer_class = AccessGrantSerializer

    def get_queryset(self):
        if self.schema_only():
            return AccessGrant.objects.none()
        return grants_of(self.provider)


class GrantList(_GrantScoped, generics.ListAPIView):
    """Readers given access through the trust center, live and ended, latest first."""

    filter_backends: list = []


class GrantDetail(_GrantScoped, generics.RetrieveAPIView):
    """One reader's access; PATCH moves its end (a live one only)."""

    @extend_schema(request=AccessGrantExtendSerializer, responses=AccessGrantSerializer)
    def patch(self, request: Request, provider_slug: str, pk: int) -> Response:
        grant = self.get_object()
        serializer = AccessGrantExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = grant_extend(actor=request.user, grant=grant, **serializer.validated_data)
        return Response(AccessGrantSerializer(grant).data)


class GrantRevoke(_GrantScoped, generics.GenericAPIView):
    """End a reader's access now, with a reason."""

    @extend_schema(request=AccessRevokeSerializer, responses=AccessGrantSerializer)
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        grant = self.get_object()
        serializer = AccessRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        grant = grant_revoke(
            actor=request.user, grant=grant, reason=serializer.validated_data["reason"]
        )
        return Response(AccessGrantSerializer(grant).data)


class TrustPublic(APIView):
    """A provider's trust-center page as data: what it publishes and what the caller may
    open. Anyone, when its trust center is enabled; else only those who may read it (404
    for others)."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="trust_page_retrieve", responses=TrustPageSerializer)
    def get(self, request: Request, slug: str) -> Response:
        provider = trust_provider_for(request.user, slug)
        return Response(TrustPageSerializer(_page_data(trust_page(request.user, provider))).data)
