"""The forms of the Webhooks pages: a webhook's URL and events, and the reason of a change."""

from __future__ import annotations

from django import forms

from trust.webhooks import SUBSCRIBABLE

REASON_MAX = 500


class ReasonForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        help_text="Optional; kept in the audit log with the change.",
    )


class WebhookForm(ReasonForm):
    url = forms.URLField(
        label="Endpoint URL",
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.example.com/srm"}),
        help_text="An https:// address on the internet; the portal POSTs JSON to it.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=[(event.value, event.label) for event in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )
    field_order = ["url", "events", "reason"]


class WebhookEditForm(WebhookForm):
    active = forms.BooleanField(
        label="Send events to it",
        label_suffix="",
        required=False,
        help_text="Unticked: nothing is sent; the settings and the log stay.",
    )
    field_order = ["url", "events", "active", "reason"]
