"""The form that starts a new provider: its details, and what its matrix starts from."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.text import slugify

from accounts.roles import Visibility
from matrices.exchange.files import MAX_FILE_BYTES, MAX_ROWS, read_matrix
from matrices.exchange.longformat import ParsedMatrix
from matrices.exchange.problems import ImportProblems
from matrices.models import Provider

START_FILE = "file"
START_EMPTY = "empty"
TEMPLATE_PREFIX = "template:"

SLUG_HELP = "Lower-case letters, digits and hyphens, used in the provider's address. "
SLUG_HELP += "Left blank, it is made from the name."


def parse_upload(upload) -> ParsedMatrix:
    """The matrix in an uploaded long-format CSV or XLSX file; raises ImportProblems."""
    return read_matrix(upload.name, upload.read())


class ProviderNewForm(forms.Form):
    """Name, slug, website, summary and visibility; start from a template, a file, or nothing.

    ``problems`` lists what is wrong with an uploaded file (file, row, column,
    message), as the import page lists them.
    """

    name = forms.CharField(label="Name", max_length=120)
    slug = forms.SlugField(
        label="Slug",
        max_length=80,
        required=False,
        help_text=SLUG_HELP,
        widget=forms.TextInput(attrs={"data-slug-from": "name"}),
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    summary = forms.CharField(
        label="Summary",
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences shown on the home page.",
    )
    visibility = forms.ChoiceField(
        label="Visibility",
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        help_text="Nobody outside its roles sees it before a first version is published.",
    )
    start = forms.ChoiceField(label="Start from", widget=forms.RadioSelect)
    file = forms.FileField(
        label="File",
        required=False,
        help_text=f"CSV or XLSX in the long format; at most 5 MB and {MAX_ROWS:,} rows.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        required=False,
        help_text="Optional; kept in the audit log with every object created.",
    )

    def __init__(self, *args, templates: Sequence[Provider], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {f"{TEMPLATE_PREFIX}{t.slug}": t for t in templates}
        self.fields["start"].choices = [
            *((key, f"The template “{t.name}”") for key, t in self.templates.items()),
            (START_FILE, "A long-format file (CSV or XLSX)"),
            (START_EMPTY, "Nothing: an empty matrix"),
        ]
        self.fields["start"].initial = next(iter(self.templates), START_EMPTY)
        self.problems: list[str] = []

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:80].strip("-")
            if not data["slug"]:
                self.add_error("slug", "Give a slug: none can be made from this name.")
        start = data.get("start", "")
        data["template"] = self.templates.get(start)
        data["parsed"] = None
        if start == START_FILE:
            data["parsed"] = self._parse(data.get("file"))
        return data

    def _parse(self, upload) -> ParsedMatrix | None:
        if upload is None:
            self.add_error("file", "Choose a .csv or .xlsx file to start from.")
            return None
        if upload.size > MAX_FILE_BYTES:
            self.problems = [f"{upload.name}: larger than 5 MB; nothing was read."]
        else:
            try:
                return parse_upload(upload)
            except ImportProblems as error:
                self.problems = [str(problem) for problem in error.problems]
        self.add_error("file", "The file cannot be imported; its problems are listed above.")
        return None

    def service_kwargs(self) -> dict:
        """The keyword arguments of ``provider_create_from``, but the actor."""
        fields = ("name", "slug", "website", "summary", "visibility", "reason", "template")
        return {field: self.cleaned_data[field] for field in (*fields, "parsed")}
