"""The analytics' filters, as the page's form and the API's query string both take them."""

from __future__ import annotations

from django import forms

from trust.analytics import AnalyticsFilters
from trust.models import ReadEvent

PERIODS = [(7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days"), (365, "Last 365 days")]
MAX_DAYS = 365


class AnalyticsFilterForm(forms.Form):
    days = forms.IntegerField(
        label="Period",
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        widget=forms.Select(choices=PERIODS),
        help_text="Days back from today, today included (1 to 365).",
    )
    kind = forms.ChoiceField(
        label="Reads",
        choices=[("", "Views and downloads"), *ReadEvent.Kind.choices],
        required=False,
    )
    company = forms.CharField(
        label="Company",
        max_length=150,
        required=False,
        help_text="Exactly as the reader's access gives it.",
        widget=forms.TextInput(attrs={"list": "analytics-companies", "autocomplete": "off"}),
    )

    def __init__(self, data=None, **kwargs) -> None:
        if data is not None and not data.get("days"):
            data = data.copy()
            data["days"] = str(AnalyticsFilters.days)  # shown as chosen, not just applied
        super().__init__(data, **kwargs)

    def filters(self) -> AnalyticsFilters:
        """The filters to apply: the form's if valid, else the defaults."""
        if not self.is_bound or not self.is_valid():
            return AnalyticsFilters()
        data = self.cleaned_data
        return AnalyticsFilters(
            days=data["days"] or AnalyticsFilters.days,
            kind=data["kind"],
            company=data["company"],
        )

    def error_lines(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]
