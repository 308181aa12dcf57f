"""A provider's NDA over the API: its versions (provider admins publish one, trust managers
read them), who accepted them, and a reader's acceptance. Every change goes through the
services of ``trust.nda``, like the pages."""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from audit.context import client_ip
from matrices.api.base import ProviderScoped, StrictInput, reason_field
from matrices.models import Provider
from trust.models import AccessGrant, Nda, NdaAcceptance
from trust.nda import (
    NDA_MAX_CHARS,
    nda_accept,
    nda_acceptance_of,
    nda_acceptances,
    nda_by_number,
    nda_current,
    nda_publish,
    nda_reader,
    nda_versions,
)


class NdaSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    acceptances = serializers.IntegerField(
        source="acceptance_count", read_only=True, help_text="How many readers accepted it."
    )

    class Meta:
        model = Nda
        fields = ["number", "body", "sha256", "created_by", "created_at", "acceptances"]
        read_only_fields = fields


class NdaCreateSerializer(StrictInput, serializers.Serializer):
    body = serializers.CharField(
        max_length=NDA_MAX_CHARS, help_text="The agreement, in Markdown (raw HTML is removed)."
    )
    reason = reason_field()


class NdaAcceptanceSerializer(serializers.ModelSerializer):
    nda = serializers.IntegerField(source="nda.number", read_only=True, help_text="Its version.")

    class Meta:
        model = NdaAcceptance
        fields = ["id", "name", "email", "company", "accepted_at", "ip_address", "nda", "sha256"]
        read_only_fields = fields


class NdaScoped(ProviderScoped):
    """Trust managers and provider admins read; provider admins write."""

    read_action = Action.MANAGE_TRUST
    write_action = Action.MANAGE_ACCESS


class NdaList(NdaScoped, generics.ListAPIView):
    """The provider's NDA versions, latest (current) first; POST publishes a new version,
    which every reader with access accepts before reading on."""

    serializer_class = NdaSerializer
    pagination_class = None

    def get_queryset(self):
        if self.schema_only():
            return Nda.objects.none()
        return nda_versions(self.provider)

    @extend_schema(request=NdaCreateSerializer, responses={201: NdaSerializer})
    def post(self, request: Request, provider_slug: str) -> Response:
        serializer = NdaCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nda = nda_publish(
            actor=request.user,
            provider=self.provider,
            body=serializer.validated_data["body"],
            reason=serializer.validated_data["reason"],
        )
        nda = nda_versions(self.provider).get(pk=nda.pk)
        return Response(NdaSerializer(nda).data, status=status.HTTP_201_CREATED)


class NdaAcceptanceList(NdaScoped, generics.ListAPIView):
    """Every acceptance of the provider's NDA versions, newest first."""

    serializer_class = NdaAcceptanceSerializer

    def get_queryset(self):
        if self.schema_only():
            return NdaAcceptance.objects.none()
        return nda_acceptances(self.provider)


class ReaderNdaSerializer(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True, help_text="Null: no NDA to accept.")
    sha256 = serializers.CharField(allow_null=True)
    body = serializers.CharField(allow_null=True, help_text="Markdown.")
    created_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(
        allow_null=True, help_text="When you accepted this version; null: not yet."
    )


class NdaAcceptSerializer(StrictInput, serializers.Serializer):
    number = serializers.IntegerField(min_value=1, help_text="The version you read.")
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$", help_text="The SHA-256 of the text you read (from GET)."
    )


class NdaAccept(generics.GenericAPIView):
    """For a reader given access: GET the current NDA; POST accepts it, naming the version
    and digest read (400 when a newer version was published meanwhile)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReaderNdaSerializer

    @cached_property
    def reading(self) -> tuple[Provider, AccessGrant | None]:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated("Sign in, or send an API token.")
        return nda_reader(self.kwargs["provider_slug"], self.request.user)

    def get(self, request: Request, provider_slug: str) -> Response:
        provider, _grant = self.reading
        current = nda_current(provider)
        accepted = nda_acceptance_of(current, request.user)
        return Response(
            ReaderNdaSerializer(
                {
                    "number": current.number if current else None,
                    "sha256": current.sha256 if current else None,
                    "body": current.body if current else None,
                    "created_at": current.created_at if current else None,
                    "accepted_at": accepted.accepted_at if accepted else None,
                }
            ).data
        )

    @extend_schema(request=NdaAcceptSerializer, responses={201: NdaAcceptanceSerializer})
    def post(self, request: Request, provider_slug: str) -> Response:
        provider, grant = self.reading
        serializer = NdaAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        acceptance = nda_accept(
            user=request.user,
            provider=provider,
            nda=nda_by_number(provider, data["number"]),
            ip_address=client_ip(request),
            company=grant.company if grant is not None else "",
            sha256=data["sha256"],
        )
        return Response(NdaAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)
