"""Offerings, parties and control domains of a provider's draft: list, read, add, change, delete.

Each write is one call to the service the "Rows & columns" page calls, with
the same audit records and the same 409 when the version sent is stale.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from matrices.api.base import REASON_PARAMETER, ProviderScoped, VersionedDeleteSerializer
from matrices.api.serializers import DomainSerializer, OfferingSerializer, PartySerializer
from matrices.filtersets import DomainFilterSet, OfferingFilterSet, PartyFilterSet
from matrices.models import ControlDomain, Offering, Party
from matrices.services import domain_create, offering_create, party_create
from matrices.services.axes import Axis, axis_delete, axis_move, axis_update

DELETE_PARAMETERS = [
    OpenApiParameter(
        "version",
        {"type": "integer", "minimum": 0},
        required=True,
        description="The version you are deleting; 409 if someone saved since.",
    ),
    REASON_PARAMETER,
]


@extend_schema_view(destroy=extend_schema(parameters=DELETE_PARAMETERS))
class AxisViewSet(ProviderScoped, viewsets.ModelViewSet):
    """Shared by the three axes; subclasses name the model, serializer, filters and creator."""

    model: type[Axis]
    create_service: Callable[..., Axis]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if self.schema_only():
            return self.model.objects.none()
        return self.model.objects.filter(provider=self.provider).order_by("position", "id")

    def _move(self, obj: Axis, position: int | None, reason: str) -> Axis:
        if position is None:
            return obj
        order = list(self.get_queryset().values_list("pk", flat=True))
        offset = position - order.index(obj.pk)
        return axis_move(
            actor=self.request.user,
            obj=obj,
            expected_version=obj.version,
            offset=offset,
            reason=reason,
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        reason, position = data.pop("reason", ""), data.pop("position", None)
        with transaction.atomic():
            obj = type(self).create_service(
                actor=request.user, provider=self.provider, reason=reason, **data
            )
            obj = self._move(obj, position, reason)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["Send the version you edited (409 if stale)."]})
        reason, position = data.pop("reason", ""), data.pop("position", None)
        with transaction.atomic():
            obj = axis_update(
                actor=request.user,
                obj=obj,
                expected_version=version,
                changes=data,
                reason=reason,
            )
            obj = self._move(obj, position, reason)
        return Response(self.get_serializer(obj).data)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        obj = self.get_object()
        given = request.data if request.data else request.query_params
        serializer = VersionedDeleteSerializer(data=given)
        serializer.is_valid(raise_exception=True)
        axis_delete(
            actor=request.user,
            obj=obj,
            expected_version=serializer.validated_data["version"],
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class OfferingViewSet(AxisViewSet):
    """The provider's offerings (columns of the matrix), in order."""

    model = Offering
    serializer_class = OfferingSerializer
    filterset_class = OfferingFilterSet
    create_service = staticmethod(offering_create)


class PartyViewSet(AxisViewSet):
    """Who holds duties: the customer, the provider, the cloud underneath, third parties."""

    model = Party
    serializer_class = PartySerializer
    filterset_class = PartyFilterSet
    create_service = staticmethod(party_create)


class DomainViewSet(AxisViewSet):
    """The provider's control domains (rows of the matrix), in order."""

    model = ControlDomain
    serializer_class = DomainSerializer
    filterset_class = DomainFilterSet
    create_service = staticmethod(domain_create)
