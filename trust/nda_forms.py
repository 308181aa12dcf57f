"""Forms of the NDA pages: a reader's acceptance, an admin's new version."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

from trust.nda import NDA_MAX_CHARS

SHA256 = RegexValidator(r"^[0-9a-f]{64}$", "A SHA-256 digest: 64 lower-case hex digits.")


class NdaAcceptForm(forms.Form):
    """The clickwrap: the version and digest the page showed, and the reader's consent."""

    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    sha256 = forms.CharField(
        min_length=64, max_length=64, validators=[SHA256], widget=forms.HiddenInput
    )
    accept = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to accept the agreement, or leave this page."},
    )

    def __init__(self, *args, company: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept"].label = (
            f"I have read and accept this agreement on behalf of {company}"
            if company
            else "I have read and accept this agreement"
        )


class NdaPublishForm(forms.Form):
    """A new version of the NDA, written in Markdown."""

    body = forms.CharField(
        label="Agreement (Markdown)",
        max_length=NDA_MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text="Headings (#), lists, emphasis and links; raw HTML is removed. "
        "Publishing asks every reader to accept the new version before reading on.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        required=False,
        help_text="Kept in the audit log with the new version.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. counsel's review of March"}),
    )
