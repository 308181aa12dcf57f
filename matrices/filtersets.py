"""Filters of the lists of providers and of a provider's rows, columns, cells and duties.

The provider filter serves the home page and ``GET /api/v1/providers/``;
the others serve the API's lists of a provider's draft. The audit log's
filter (``audit.filters``) serves its pages, its exports and its API.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.roles import Visibility
from matrices.models import Cell, ControlDomain, Duty, Offering, Party, Provider
from matrices.models.catalogue import Ownership
from matrices.models.provider import OfferingKind, PartyRole
from matrices.selectors.editions import offerings_seen


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id: a whole number from 1 to the largest a 64-bit column holds (SQLite raises on a
    larger one, e.g. the 3.4e+38 a number filter took, instead of finding nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def _offers(offerings: list[dict], kind: str) -> bool:
    return any(offering["kind"] == kind for offering in offerings)


class ProviderFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label="Name",
        method="filter_name",
        max_length=100,
        help_text="Part of the name or summary.",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. ClickHouse"}),
    )
    kind = django_filters.ChoiceFilter(
        label="Offers",
        choices=OfferingKind.choices,
        method="filter_kind",
        empty_label="Any kind of offering",
        help_text="Providers with at least one offering of this kind.",
    )
    is_template = django_filters.BooleanFilter(label="Template")
    visibility = django_filters.ChoiceFilter(choices=Visibility.choices)

    class Meta:
        model = Provider
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The offerings each reader sees (a version, or the draft for its readers): an
        # offering added to a draft must not make its provider match before it is published.
        user = getattr(self.request, "user", None)
        seen = offerings_seen(user, queryset)
        matching = [
            pk for pk, offerings in seen.items() if any(o["kind"] == value for o in offerings)
        ]
        return queryset.filter(pk__in=matching)


class OfferingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OfferingKind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=100)

    class Meta:
        model = Offering
        fields: list[str] = []


class PartyFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=PartyRole.choices)

    class Meta:
        model = Party
        fields: list[str] = []


class DomainFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=100)
    category = django_filters.CharFilter(max_length=100)

    class Meta:
        model = ControlDomain
        fields: list[str] = []


class CellFilterSet(django_filters.FilterSet):
    offering = django_filters.CharFilter(field_name="offering__slug", max_length=80)
    domain = django_filters.CharFilter(field_name="domain__slug", max_length=80)
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices)

    class Meta:
        model = Cell
        fields: list[str] = []


class DutyFilterSet(django_filters.FilterSet):
    offering = django_filters.CharFilter(field_name="cell__offering__slug", max_length=80)
    domain = django_filters.CharFilter(field_name="cell__domain__slug", max_length=80)
    party = IdFilter(field_name="party_id")
    role = django_filters.ChoiceFilter(field_name="party__role", choices=PartyRole.choices)
    advanced = django_filters.BooleanFilter()
    not_applicable = django_filters.BooleanFilter()
    q = django_filters.CharFilter(
        field_name="text", lookup_expr="icontains", max_length=200, help_text="Words in the duty."
    )

    class Meta:
        model = Duty
        fields: list[str] = []
