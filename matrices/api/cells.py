"""Cells and duties of a provider's draft.

A cell (one offering by one domain) holds its ownership and every party's
duties, with one version: it is read and written as a whole, exactly as the
in-place editor writes it, through ``cell_set``. A duty is therefore written
through its cell (``PUT .../cells/{offering}/{domain}/``), and duty ids change
when their cell is saved. ``GET .../duties/`` finds duties across the draft.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from matrices.api.base import ProviderScoped
from matrices.api.serializers import CellSerializer, CellWriteSerializer, DutyListSerializer
from matrices.filtersets import CellFilterSet, DutyFilterSet
from matrices.models import Cell, ControlDomain, Duty, Offering, Party
from matrices.services import DutyInput, cell_set


def _cells(provider):
    duties = Duty.objects.order_by("party__position", "party_id", "position")
    return (
        Cell.objects.filter(provider=provider)
        .select_related("offering", "domain")
        .prefetch_related(Prefetch("duties", queryset=duties))
        .order_by("domain__position", "offering__position")
    )


class CellViewSet(ProviderScoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every cell of the draft with its duties, filtered by offering, domain or ownership."""

    serializer_class = CellSerializer
    filterset_class = CellFilterSet

    def get_queryset(self):
        return Cell.objects.none() if self.schema_only() else _cells(self.provider)


class CellDetail(ProviderScoped, generics.GenericAPIView):
    """One cell, addressed by its offering and domain; PUT creates or replaces it."""

    serializer_class = CellSerializer

    def _axes(self, offering: str, domain: str) -> tuple[Offering, ControlDomain]:
        return (
            get_object_or_404(Offering, provider=self.provider, slug=offering),
            get_object_or_404(ControlDomain, provider=self.provider, slug=domain),
        )

    def get(self, request: Request, provider_slug: str, offering: str, domain: str) -> Response:
        offering_obj, domain_obj = self._axes(offering, domain)
        cell = _cells(self.provider).filter(offering=offering_obj, domain=domain_obj).first()
        if cell is None:
            raise NotFound("This cell is empty; PUT it with version 0 to fill it.")
        return Response(CellSerializer(cell).data)

    @extend_schema(
        request=CellWriteSerializer, responses={200: CellSerializer, 201: CellSerializer}
    )
    def put(self, request: Request, provider_slug: str, offering: str, domain: str) -> Response:
        offering_obj, domain_obj = self._axes(offering, domain)
        serializer = CellWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parties = {party.pk: party for party in Party.objects.filter(provider=self.provider)}
        duties: dict[Party, list[DutyInput]] = {}
        for index, item in enumerate(data["duties"]):
            party = parties.get(item["party"])
            if party is None:
                raise ValidationError(
                    {"duties": {index: {"party": [f"No party {item['party']} in this provider."]}}}
                )
            duties.setdefault(party, []).append(
                DutyInput(
                    text=item["text"],
                    advanced=item["advanced"],
                    not_applicable=item["not_applicable"],
                    scope=item["scope"],
                )
            )
        cell = cell_set(
            actor=request.user,
            offering=offering_obj,
            domain=domain_obj,
            ownership=data["ownership"],
            duties=duties,
            expected_version=data["version"],
            reason=data["reason"],
        )
        created = data["version"] == 0
        cell = _cells(self.provider).get(pk=cell.pk)
        return Response(
            CellSerializer(cell).data, status=status.HTTP_201_CREATED if created else 200
        )


class DutyViewSet(ProviderScoped, viewsets.ReadOnlyModelViewSet):
    """Duties across the draft, filtered by offering, domain, party, role, markers or words.

    Duties are written through their cell: ``PUT .../cells/{offering}/{domain}/``.
    """

    serializer_class = DutyListSerializer
    filterset_class = DutyFilterSet
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if self.schema_only():
            return Duty.objects.none()
        return (
            Duty.objects.filter(cell__provider=self.provider)
            .select_related("cell__offering", "cell__domain", "party")
            .order_by(
                "cell__domain__position",
                "cell__offering__position",
                "party__position",
                "position",
                "id",
            )
        )
