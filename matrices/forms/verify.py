"""The verification form: a PDF file, or its SHA-256; the API checks its input alike."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from matrices.selectors.verify import SHA256


def check_upload(upload) -> bytes:
    """The uploaded PDF's bytes, or a ValidationError saying why not (never parsed here)."""
    if upload.size > settings.VERIFY_MAX_BYTES:
        limit = filesizeformat(settings.VERIFY_MAX_BYTES)
        raise forms.ValidationError(f"The file is larger than {limit}.")
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        raise forms.ValidationError("This is not a PDF file.")
    return data


def check_hash(value: str) -> str:
    value = value.strip().lower()
    if not SHA256.match(value):
        raise forms.ValidationError("A SHA-256 is 64 hexadecimal characters.")
    return value


class VerifyForm(forms.Form):
    file = forms.FileField(label="PDF file", required=False)
    sha256 = forms.CharField(label="or its SHA-256", required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return check_upload(upload) if upload else None

    def clean_sha256(self):
        value = self.cleaned_data.get("sha256") or ""
        return check_hash(value) if value.strip() else ""

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("sha256"):
            raise forms.ValidationError("Choose a PDF file or paste its SHA-256.")
        return data
