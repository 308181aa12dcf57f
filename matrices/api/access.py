"""Roles on a provider over the API, for its provider admins: who holds what, grant, revoke.

Every change goes through ``role_set``, like the Access page: audited with
its reason, and refused when it would leave the provider without an admin.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action, Role
from accounts.selectors import role_grants
from accounts.services import role_set
from matrices.api.base import REASON_PARAMETER, ProviderScoped, ReasonSerializer

KINDS = [("user", "User"), ("group", "Group")]


class GrantSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    name = serializers.CharField(max_length=150, help_text="Username or group name.")
    role = serializers.ChoiceField(choices=Role.choices)


class GrantChangeSerializer(GrantSerializer, ReasonSerializer):
    role = serializers.ChoiceField(
        choices=Role.choices, allow_null=True, help_text="The one role they hold; null revokes."
    )


def _principal(kind: str, name: str):
    if kind == "group":
        principal = Group.objects.filter(name=name).first()
    else:
        principal = get_user_model().objects.filter(username=name, is_active=True).first()
    if principal is None:
        raise NotFound(f"No active {kind} named {name!r}.")
    return principal


def _listing(provider) -> list[dict]:
    return [
        {"kind": row["kind"], "name": row["name"], "role": row["role"].value}
        for row in role_grants(provider)
    ]


class AccessList(ProviderScoped, generics.GenericAPIView):
    """Every role grant on the provider; POST grants, changes or revokes one."""

    read_action = Action.MANAGE_ACCESS
    write_action = Action.MANAGE_ACCESS
    serializer_class = GrantSerializer
    pagination_class = None
    queryset = Group.objects.none()  # for the schema: grants are listed by role_grants()

    @extend_schema(responses=GrantSerializer(many=True))
    def get(self, request: Request, provider_slug: str) -> Response:
        return Response(_listing(self.provider))

    @extend_schema(request=GrantChangeSerializer, responses=GrantSerializer(many=True))
    def post(self, request: Request, provider_slug: str) -> Response:
        serializer = GrantChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        role_set(
            actor=request.user,
            provider=self.provider,
            principal=_principal(data["kind"], data["name"]),
            role=Role(data["role"]) if data["role"] else None,
            reason=data["reason"],
        )
        return Response(_listing(self.provider))


class AccessDetail(ProviderScoped, generics.GenericAPIView):
    """Revoke whatever role one user or group holds on the provider."""

    read_action = Action.MANAGE_ACCESS
    write_action = Action.MANAGE_ACCESS
    serializer_class = ReasonSerializer
    queryset = Group.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=[kind for kind, _ in KINDS]),
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, description="Username or group name."
            ),
            REASON_PARAMETER,
        ],
        responses={204: None},
    )
    def delete(self, request: Request, provider_slug: str, kind: str, name: str) -> Response:
        if kind not in dict(KINDS):
            raise NotFound("Grants are under access/user/<name>/ or access/group/<name>/.")
        serializer = ReasonSerializer(data=request.data or request.query_params)
        serializer.is_valid(raise_exception=True)
        role_set(
            actor=request.user,
            provider=self.provider,
            principal=_principal(kind, name),
            role=None,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
