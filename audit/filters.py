"""The filters of the audit log, shared by the log pages and their exports."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from audit.models import AuditAction, AuditRecord, ObjectType


def _day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: the log shows and filters its times in UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


class AuditLogForm(forms.Form):
    """The filter form, plus the keyset cursor (``before``) so one validation covers both."""

    before = forms.IntegerField(
        label="Page cursor", required=False, min_value=1, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


class AuditRecordFilter(django_filters.FilterSet):
    """Narrows the log by actor, action, object, date range (UTC, inclusive) and free text."""

    actor = django_filters.CharFilter(
        label="Actor", method="filter_actor", max_length=150, help_text="Exact username."
    )
    action = django_filters.ChoiceFilter(
        label="Action", choices=AuditAction.choices, empty_label="Any action"
    )
    object_type = django_filters.ChoiceFilter(
        label="Object type", choices=ObjectType.choices, empty_label="Any object"
    )
    object_id = django_filters.CharFilter(label="Object id", max_length=64)
    date_from = django_filters.DateFilter(
        label="From", method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="To", method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = django_filters.CharFilter(
        label="Text", method="filter_text", max_length=200, help_text="In the object or reason."
    )

    class Meta:
        model = AuditRecord
        fields: list[str] = []  # every filter is declared above
        form = AuditLogForm

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:  # not ``before``: the page cursor is page_of()'s business
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The label is the username at the time; the id finds a user renamed since.
        # Resolved first, so the planner sees constants and uses the two indexes.
        users = list(get_user_model().objects.filter(username=value).values_list("pk", flat=True))
        if not users:
            return queryset.filter(actor_label=value)
        return queryset.filter(Q(actor_label=value) | Q(actor_id__in=users))

    def filter_date_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        # Inclusive: everything before the next midnight, without a function on the column.
        return queryset.filter(created_at__lt=_day_start(value + timedelta(days=1)))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(object_label__icontains=value) | Q(reason__icontains=value))

    @property
    def applied(self) -> dict[str, Any]:
        """The filters in force (valid and not empty), for headings and export metadata."""
        if not self.is_valid():
            return {}
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name in self.filters and value not in (None, "")
        }

    @property
    def object_filter(self) -> tuple[str, str] | None:
        """(object_type, object_id) when the log is narrowed to one object's history."""
        applied = self.applied
        if applied.get("object_type") and applied.get("object_id"):
            return applied["object_type"], applied["object_id"]
        return None

    def error_lines(self) -> list[str]:
        """The form's errors, one "Label: message" line per field, for the page and exports."""
        lines = []
        for name, errors in self.form.errors.items():
            field = self.form.fields.get(name)
            label = (field.label or name.replace("_", " ").capitalize()) if field else "Filters"
            lines.append(f"{label}: {' '.join(errors)}")
        return lines
