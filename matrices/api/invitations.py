"""Invitations to a provider over the API, for its provider admins: list, invite, resend,
revoke. Every change goes through the services of ``accounts.invitations``, like the
Access page: audited with its reason; the link is emailed, never returned."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.invitations import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitations_open,
)
from accounts.models import Invitation
from accounts.roles import Action, Role
from matrices.api.base import REASON_PARAMETER, ProviderScoped, ReasonSerializer

STATUSES = ["pending", "expired"]


class InvitationSerializer(serializers.ModelSerializer):
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.ChoiceField(
        choices=STATUSES, read_only=True, help_text="An expired invitation can be resent."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "invited_by",
            "created_at",
            "expires_at",
            "last_sent_at",
            "send_count",
            "status",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(ReasonSerializer):
    email = serializers.EmailField(max_length=254, help_text="Where the single-use link goes.")
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationScoped(ProviderScoped):
    """Provider admins only, for reading as for writing."""

    read_action = Action.MANAGE_ACCESS
    write_action = Action.MANAGE_ACCESS
    serializer_class = InvitationSerializer
    pagination_class = None

    def get_queryset(self):
        if self.schema_only():
            return Invitation.objects.none()
        return invitations_open(self.provider)


class InvitationList(InvitationScoped, generics.ListAPIView):
    """The provider's pending (and expired, not yet resent) invitations; POST invites."""

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def post(self, request: Request, provider_slug: str) -> Response:
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = invitation_create(
            actor=request.user,
            provider=self.provider,
            email=data["email"],
            role=data["role"],
            base_url=request.build_absolute_uri("/"),
            reason=data["reason"],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetail(InvitationScoped, generics.RetrieveAPIView):
    """One pending invitation; DELETE revokes it (its link stops working)."""

    @extend_schema(parameters=[REASON_PARAMETER], responses={204: None})
    def delete(self, request: Request, provider_slug: str, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data or request.query_params)
        serializer.is_valid(raise_exception=True)
        invitation_revoke(
            actor=request.user,
            invitation=self.get_object(),
            reason=serializer.validated_data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationResend(InvitationScoped, generics.GenericAPIView):
    """Email a new link, valid for INVITATION_DAYS again; the previous link stops working."""

    @extend_schema(request=ReasonSerializer, responses=InvitationSerializer)
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = invitation_resend(
            actor=request.user,
            invitation=self.get_object(),
            base_url=request.build_absolute_uri("/"),
            reason=serializer.validated_data["reason"],
        )
        return Response(InvitationSerializer(invitation).data)
